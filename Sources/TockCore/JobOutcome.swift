import TockValues

/// How a run ended, as the worker reports it to ``JobQueueBackend/complete(_:worker:outcome:now:)``.
public struct JobOutcome: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case finished(JSONValue?)
        case failed(String, retryable: Bool)
        case stopped
        case interrupted
    }

    let kind: Kind
    /// How long finished / failed records are kept (result and failure TTL), seconds.
    public var resultTTL: Int
    public var failureTTL: Int

    /// The work returned `result`: `finished`, kept for `resultTTL`.
    public static func finished(_ result: JSONValue?, resultTTL: Int) -> JobOutcome {
        JobOutcome(kind: .finished(result), resultTTL: resultTTL, failureTTL: 0)
    }

    /// The work failed with `error`: retried if it has retries left, else `failed`.
    public static func failed(_ error: String, failureTTL: Int) -> JobOutcome {
        JobOutcome(kind: .failed(error, retryable: true), resultTTL: 0, failureTTL: failureTTL)
    }

    /// Failed in a way a retry cannot help (no handler for the name): `failed` at once.
    public static func failedWithoutRetry(_ error: String, failureTTL: Int) -> JobOutcome {
        JobOutcome(kind: .failed(error, retryable: false), resultTTL: 0, failureTTL: failureTTL)
    }

    /// Its stored record cannot be read (damaged, or written by another client or an older
    /// version): a claim fails it with `reason` instead of running it, kept 7 days (the
    /// claim has no configuration to hand), and goes on to the next job.
    public static func unreadable(_ reason: String) -> JobOutcome {
        failedWithoutRetry(reason, failureTTL: 7 * 24 * 3600)
    }

    /// An operator stopped it (`tock jobs stop`): `stopped`, kept for `failureTTL`.
    public static func stopped(failureTTL: Int) -> JobOutcome {
        JobOutcome(kind: .stopped, resultTTL: 0, failureTTL: failureTTL)
    }

    /// The worker shut down cold: the job goes back to its queue.
    public static let interrupted = JobOutcome(kind: .interrupted, resultTTL: 0, failureTTL: 0)
}
