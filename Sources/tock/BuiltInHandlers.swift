import Foundation
import TockValues
import TockCore
import TockWorker

/// Handlers every `tock worker` has, for trying Tock out, tests and benchmarks.
enum BuiltInHandlers {
    static let registry: HandlerRegistry = {
        var registry = HandlerRegistry()
        registry.register("tock.noop") { _ in .null }
        registry.register("tock.sleep") { context in
            let seconds = try sleepSeconds(context.args)
            let milliseconds = Int((seconds * 1000).rounded())
            // A step a tenth of a second, at most 1,000 steps (progress reports).
            let steps = min(1000, max(1, milliseconds / 100))
            var progressFailures = 0
            for step in 1...steps {
                try await Task.sleep(for: .milliseconds(milliseconds / steps))
                // Progress is advisory: a backend that cannot record it (a full disk, an
                // outage) does not fail the sleep, as it does not fail a command job.
                do {
                    try await context.reportProgress(Double(step) / Double(steps) * 100, "slept \(step * (milliseconds / steps)) ms")
                } catch {
                    progressFailures += 1
                    // Ten a second while it lasts: the first, then one in a hundred.
                    if progressFailures % 100 == 1 {
                        context.logger.warning("could not record progress (\(progressFailures) times so far): \(error)")
                    }
                }
            }
            return .number(seconds)
        }
        registry.register("tock.fail") { context in
            throw JobFailure(context.args.first?.stringValue ?? "tock.fail was asked to fail")
        }
        return registry
    }()

    /// `tock.sleep`'s `args: [seconds]` (default 1): a number from 0 to
    /// ``TockValues/JobLimits/maximumSeconds``, else the job fails (not retried) saying so.
    static func sleepSeconds(_ args: [JSONValue]) throws -> Double {
        guard let value = args.first else { return 1 }
        do {
            _ = try value.integer(field: "args[0] (seconds)", in: 0...JobLimits.maximumSeconds, rounding: .up)
        } catch {
            throw JobFailure("tock.sleep: \(error)", retryable: false)
        }
        return value.numberValue ?? 1
    }
}

extension Worker.Options {
    /// How `tock worker` and `tock dev` run workers: abandoned jobs are looked for every
    /// heartbeat interval, so they are found within heartbeat_timeout + heartbeat_interval.
    static func configured(_ configuration: Configuration) -> Worker.Options {
        Worker.Options(maintenanceInterval: .seconds(configuration.heartbeatInterval))
    }
}
