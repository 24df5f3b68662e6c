import TockValues

/// How running a job's work ended, before the worker turns it into a ``TockCore/JobOutcome``
/// (see `Worker+Outcome.swift`): the same for Swift handlers and commands.
enum RunEnd: Sendable, Hashable {
    /// The work returned this result.
    case finished(JSONValue?)
    /// The work failed; `retryable: false` when a retry cannot help.
    case failed(String, retryable: Bool)
    /// It ran past the job's timeout (seconds) and was stopped.
    case timedOut(Int)
    /// It was stopped before it ended: an operator's stop request, or a cold shutdown.
    case cancelled
}
