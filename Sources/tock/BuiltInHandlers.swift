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
            let seconds = context.args.first?.numberValue ?? 1
            let steps = max(1, Int(seconds * 10))
            for step in 1...steps {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000) / steps))
                try await context.reportProgress(Double(step) / Double(steps) * 100, "slept \(step * Int(seconds * 1000) / steps) ms")
            }
            return .number(seconds)
        }
        registry.register("tock.fail") { context in
            throw JobFailure(context.args.first?.stringValue ?? "tock.fail was asked to fail")
        }
        return registry
    }()
}

extension Worker.Options {
    /// How `tock worker` and `tock dev` run workers: abandoned jobs are looked for every
    /// heartbeat interval, so they are found within heartbeat_timeout + heartbeat_interval.
    static func configured(_ configuration: Configuration) -> Worker.Options {
        Worker.Options(maintenanceInterval: .seconds(configuration.heartbeatInterval))
    }
}
