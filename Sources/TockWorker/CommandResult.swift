import Foundation
import TockCore
import TockValues

/// How a command job's process ended, and what it wrote.
public struct CommandResult: Sendable, Hashable {
    /// How the process ended.
    public enum Termination: Sendable, Hashable {
        /// It exited with this status.
        case exited(Int32)
        /// This signal killed it (not one Tock sent).
        case signaled(Int32)
        /// It ran past the job's timeout; Tock stopped its process group.
        case timedOut
        /// The calling task was cancelled (a stop request, a cold shutdown); Tock stopped
        /// its process group.
        case cancelled
        /// It could not be started: the reason, and whether running it again can help
        /// (`false` for a program that does not exist or may not be executed).
        case notStarted(String, retryable: Bool)
        /// It ended but its status was lost (someone else reaped it); carries `errno`.
        case unknown(Int32)
    }

    public var termination: Termination
    /// The last bytes of stdout (at most ``CommandRunner/outputLimit``), as UTF-8.
    public var output: String
    /// Whether stdout was longer than what ``output`` kept.
    public var outputTruncated: Bool
    /// The last bytes of stderr (at most ``TockCore/Job/maximumErrorLength``), as UTF-8.
    public var errorOutput: String
    /// Lines on the progress channel that did not follow the protocol (see the worker log).
    public var rejectedProgressLines: Int
    /// The job's timeout, seconds, for the `timed out after N s` error;
    /// ``TockCore/Job/noTimeout`` when it has none.
    public var timeout: Int

    /// What the job's record gets as its result when the command exited 0: stdout
    /// without surrounding whitespace, as JSON when it is JSON, else as a string;
    /// `nil` when it printed nothing. Truncated output is always a string.
    public var result: JSONValue? {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if !outputTruncated, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
            return value
        }
        return .string(text)
    }

    /// The error the job's record gets when the command did not succeed: the stderr tail
    /// (or `exited with status N` when it wrote nothing), `killed by signal N`,
    /// `timed out after N s`, `stopped before it ended` (cancelled), or why it could not
    /// start. `nil` after exit 0.
    public var error: String? {
        switch end {
        case .finished: nil
        case .failed(let message, _): message
        case .timedOut(let seconds): "timed out after \(seconds) s"
        case .cancelled: "stopped before it ended"
        }
    }

    var end: RunEnd {
        switch termination {
        case .exited(0):
            return .finished(result)
        case .exited(let status):
            let tail = errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(tail.isEmpty ? "exited with status \(status)" : tail, retryable: true)
        case .signaled(let signal):
            return .failed("killed by signal \(signal)", retryable: true)
        case .timedOut:
            return .timedOut(timeout)
        case .cancelled:
            return .cancelled
        case .notStarted(let reason, let retryable):
            return .failed(reason, retryable: retryable)
        case .unknown(let code):
            return .failed("exit status lost: \(String(cString: strerror(code)))", retryable: true)
        }
    }
}
