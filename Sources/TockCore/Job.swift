import Foundation
import TockValues

/// A job: a named piece of work with its arguments, queue and life so far.
///
/// Field names follow `docs/jobs.md`; ``JobCoding`` gives the snake_case JSON the CLI and
/// the API print. Times are UTC with microsecond precision.
public struct Job: Sendable, Hashable {
    public var id: JobID
    /// What to run: a name the worker resolves against its own handlers and commands.
    public var name: String
    public var args: [JSONValue]
    public var kwargs: [String: JSONValue]
    public var queue: String
    /// Seconds the job may run before it is stopped and failed; ``noTimeout`` (RQ's `-1`,
    /// any value below 1 reads so) lets it run until done. Tock's own enqueue always sets
    /// one; only jobs Python RQ enqueued with `job_timeout=-1` have none.
    public var timeout: Int
    public var status: JobStatus
    public var createdAt: Date
    /// When it was (last) put on its queue; `nil` while scheduled or deferred.
    public var enqueuedAt: Date?
    public var startedAt: Date?
    public var endedAt: Date?
    public var lastHeartbeat: Date?
    /// The worker running it, or that ran it last.
    public var worker: String?
    /// The work's output, bounded in size.
    public var result: JSONValue?
    /// Why it failed (bounded), e.g. `timed out after 30 s`.
    public var error: String?
    public var retriesLeft: Int
    /// Seconds before the 1st, 2nd, … retry; the last repeats.
    public var retryIntervals: [Int]
    public var progress: JobProgress?
    public var batch: String?
    /// Who enqueued it: `scheduler:<event>@<instant>`, `cli`, `api`, ….
    public var origin: String
    /// When a `scheduled` job becomes `queued`.
    public var scheduledFor: Date?
    /// Set by `tock jobs stop`: the worker running it stops it.
    public var stopRequested: Bool
    /// When the record may be deleted (result or failure TTL after it ended).
    public var expiresAt: Date?
    /// Seconds to keep it once finished, when the job sets its own; nil: the configured
    /// `result_ttl`. Negative: kept until deleted. Set per job by RQ's Python
    /// (`enqueue(..., result_ttl=…)`); only the Redis backend stores it.
    public var resultTTL: Int?
    /// The same once failed, stopped or canceled (RQ's `failure_ttl`).
    public var failureTTL: Int?

    /// Bounds for `result` (encoded) and `error`/progress messages, in bytes/characters.
    public static let maximumResultBytes = 64 * 1024
    public static let maximumErrorLength = 8 * 1024
    public static let maximumMessageLength = 1024

    public init(
        id: JobID, name: String, args: [JSONValue] = [], kwargs: [String: JSONValue] = [:], queue: String,
        timeout: Int, status: JobStatus = .queued, createdAt: Date, enqueuedAt: Date? = nil,
        startedAt: Date? = nil, endedAt: Date? = nil, lastHeartbeat: Date? = nil, worker: String? = nil,
        result: JSONValue? = nil, error: String? = nil, retriesLeft: Int = 0, retryIntervals: [Int] = [],
        progress: JobProgress? = nil, batch: String? = nil, origin: String, scheduledFor: Date? = nil,
        stopRequested: Bool = false, expiresAt: Date? = nil, resultTTL: Int? = nil, failureTTL: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self.queue = queue
        self.timeout = timeout
        self.status = status
        self.createdAt = createdAt
        self.enqueuedAt = enqueuedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.lastHeartbeat = lastHeartbeat
        self.worker = worker
        self.result = result
        self.error = error
        self.retriesLeft = retriesLeft
        self.retryIntervals = retryIntervals
        self.progress = progress
        self.batch = batch
        self.origin = origin
        self.scheduledFor = scheduledFor
        self.stopRequested = stopRequested
        self.expiresAt = expiresAt
        self.resultTTL = resultTTL
        self.failureTTL = failureTTL
    }

    /// RQ's `timeout` for "no timeout", as ``timeout`` holds it.
    public static let noTimeout = -1

    /// Seconds the job may run, or `nil` when it has no timeout (``noTimeout``).
    public var timeLimit: Int? { timeout > 0 ? timeout : nil }

    /// Seconds between start and end, when both are known.
    public var duration: Double? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt.timeIntervalSince(startedAt)
    }
}
