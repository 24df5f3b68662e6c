import ArgumentParser
import Foundation
import Logging
import TockSystemd
import TockConfiguration
import TockCore

/// The `tock` command: argument parsing and wiring only; the work is in the libraries.
@main
struct Tock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tock",
        abstract: "A cron scheduler and background-job system.",
        discussion: """
            Schedules are declared in YAML files (default: schedules/). `tock check` validates \
            them; `tock next` shows when each event fires next, without enqueueing anything.
            """,
        version: "0.1.0",
        subcommands: [
            CheckCommand.self, NextCommand.self, EnqueueCommand.self, JobsCommand.self, WorkersCommand.self,
            QueuesCommand.self, BatchCommand.self, WorkerCommand.self, SchedulerCommand.self, EventsCommand.self,
            DevCommand.self, ServeCommand.self, BenchCommand.self,
        ]
    )

    /// Runs the command; usage errors exit 2 (as `tock check` promises), not
    /// ArgumentParser's 64, so scripts can tell "bad invocation" from "problems found" (1).
    /// A value the libraries refuse (a malformed id, an unknown queue) is a usage error
    /// too; a request that was understood and failed (no such job, a full queue, the
    /// backend down) exits 1.
    static func main() async {
        // journald with structured fields under systemd (JOURNAL_STREAM), plain lines otherwise.
        LoggingSystem.bootstrap(TockLogging.factory(), metadataProvider: nil)
        let arguments = ArgumentSecrets.hide()
        do {
            var command = try parseAsRoot(Array(arguments.dropFirst()))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data("tock: error: \(message(for: error))\n".utf8))
                Foundation.exit(2)
            }
            if let error = error as? TockError {
                // Errors users can act on: one line, no usage text.
                FileHandle.standardError.write(Data("tock: error: \(error)\n".utf8))
                Foundation.exit(error.isUsageError ? 2 : 1)
            }
            if error is ConfigurationError {
                FileHandle.standardError.write(Data("tock: error: \(error)\n".utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}

extension TockError {
    /// Whether the invocation itself was wrong (exit 2), rather than a request that failed (exit 1).
    var isUsageError: Bool {
        switch self {
        case .invalidJobID, .unknownQueue, .malformedJSON, .invalidArgument, .unsupportedBackend: true
        default: false
        }
    }
}
