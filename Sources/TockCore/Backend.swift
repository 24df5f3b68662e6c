import Foundation

/// The seam the scheduler, the workers, the CLI and the HTTP API share: the operations a
/// job backend performs, each atomically. SQLite does each in one transaction, Redis in
/// one MULTI/EXEC or Lua script, PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED`.
///
/// Backends hold no configuration: callers resolve queues, timeouts, limits and TTLs
/// (see ``JobClient``) and pass them in.
public protocol JobQueueBackend: Sendable {
    /// Stores new jobs, all or none. A job whose id exists is not stored again: its
    /// outcome is the existing job with `created == false` (idempotent enqueue).
    ///
    /// - Parameters:
    ///   - jobs: Complete records, `queued` or `scheduled`.
    ///   - maxQueued: Per queue, how many `queued` jobs it may hold; enqueueing past it
    ///     throws ``TockError/queueFull(_:maxQueued:)`` and stores nothing.
    func enqueue(_ jobs: [Job], maxQueued: [String: Int]) async throws -> [EnqueueOutcome]

    /// Atomically takes the oldest `queued` job of the first queue in `queues` that has
    /// one and is not paused (``QueueControl``), marks it `started` by `worker`, and
    /// returns it. No job is ever claimed twice.
    func claim(from queues: [String], worker: String, now: Date) async throws -> Job?

    /// Ends a run: applies ``Job/completed(_:now:)`` if the job is still the run `worker`
    /// claimed (``Job/isRun(by:claimedAt:)``: `started` by `worker` and, when `claimedAt`
    /// is given, with that `startedAt`). It may have been declared abandoned meanwhile,
    /// and retried, run or claimed again since: then nothing changes and `nil` is
    /// returned. Ends its batch when this was the batch's last chunk.
    ///
    /// - Parameter claimedAt: The claimed job's `startedAt`, the claim's fencing token;
    ///   `nil` checks only the worker's name.
    func complete(_ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date) async throws -> Job?

    /// ``complete(_:worker:claimedAt:outcome:now:)``, then ``claim(from:worker:now:)``
    /// for the same worker: a busy worker's two writes per job as one, atomically where
    /// the backend can (the default implementation makes the two calls).
    func complete(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date, thenClaimFrom queues: [String]
    ) async throws -> (completed: Job?, next: Job?)

    /// Records progress of a `started` job.
    func reportProgress(_ id: JobID, progress: JobProgress, now: Date) async throws

    /// Queues the `scheduled` jobs that are due. Returns when the next one is due, if any.
    func promoteDueJobs(now: Date) async throws -> Date?

    /// Returns when something may have changed (a job was enqueued, most often), or after
    /// `timeout`. Lets idle workers sleep instead of polling.
    func waitForChange(timeout: Duration) async
}

extension JobQueueBackend {
    public func complete(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date, thenClaimFrom queues: [String]
    ) async throws -> (completed: Job?, next: Job?) {
        let completed = try await complete(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now)
        return (completed, try await claim(from: queues, worker: worker, now: now))
    }

    /// ``complete(_:worker:claimedAt:outcome:now:)`` checking only the worker's name.
    public func complete(_ id: JobID, worker: String, outcome: JobOutcome, now: Date) async throws -> Job? {
        try await complete(id, worker: worker, claimedAt: nil, outcome: outcome, now: now)
    }

    /// ``complete(_:worker:claimedAt:outcome:now:thenClaimFrom:)`` checking only the
    /// worker's name.
    public func complete(
        _ id: JobID, worker: String, outcome: JobOutcome, now: Date, thenClaimFrom queues: [String]
    ) async throws -> (completed: Job?, next: Job?) {
        try await complete(id, worker: worker, claimedAt: nil, outcome: outcome, now: now, thenClaimFrom: queues)
    }
}

/// Reading jobs, and the operator's actions on them.
public protocol JobStore: Sendable {
    func job(_ id: JobID) async throws -> Job?
    /// The jobs `filter` matches, newest first (by creation time, then id: see
    /// ``JobFilter``), at most `filter.limit`; ``page(matching:)`` adds the next cursor.
    func jobs(matching filter: JobFilter) async throws -> [Job]
    /// Per queue, how many jobs are in each status.
    func queueCounts() async throws -> [String: [JobStatus: Int]]
    func cancel(_ id: JobID, now: Date, failureTTL: Int) async throws -> Job
    func requestStop(_ id: JobID, now: Date) async throws -> Job
    func requeue(_ id: JobID, now: Date) async throws -> Job
    /// Requeues every `failed` job; returns them.
    func requeueFailed(now: Date) async throws -> [Job]
    /// Deletes the record; `false` if there was none.
    func delete(_ id: JobID) async throws -> Bool
}

/// Workers' records, heartbeats, and the recovery of jobs whose worker died.
public protocol WorkerRegistry: Sendable {
    /// Creates or replaces the worker's record (registration and every heartbeat).
    /// Returns the ids of its jobs that an operator asked to stop.
    func heartbeat(_ worker: WorkerRecord, runningJobs: [JobID], now: Date) async throws -> Set<JobID>
    func unregisterWorker(_ name: String) async throws
    func workers() async throws -> [WorkerRecord]
    /// `started` jobs whose own last heartbeat is older than `now − timeout` become
    /// ``Job/abandoned(now:failureTTL:)``: a worker heartbeats every job it runs, so such a
    /// job's worker died, or is alive but gave up on recording the job's end (the backend
    /// was unreachable for too long). Records of workers whose last heartbeat is older
    /// are removed. Returns the jobs changed.
    func recoverAbandonedJobs(now: Date, heartbeatTimeout: TimeInterval, failureTTL: Int) async throws -> [Job]
    /// Deletes finished/failed/canceled/stopped records past their TTL; returns how many.
    func purgeExpired(now: Date) async throws -> Int
}

/// The log of job events, followed from a cursor.
public protocol JobEventLog: Sendable {
    /// Events with a cursor greater than `cursor` (0 = from the start), oldest first.
    func events(after cursor: Int64, limit: Int) async throws -> [JobEvent]
    /// The cursor of the newest event ever logged (0 when none was): where a reader that
    /// wants only what comes next starts, without reading the log through.
    func newestEventCursor() async throws -> Int64
}

/// Batches: many chunk jobs enqueued atomically under one id.
public protocol BatchStore: Sendable {
    /// Stores the batch and all its chunk jobs atomically (all or none, `maxQueued` as in
    /// ``JobQueueBackend/enqueue(_:maxQueued:)``).
    func createBatch(_ batch: Batch, chunks: [Job], maxQueued: [String: Int]) async throws
    func batch(_ id: String) async throws -> BatchStatus?

    // A streamed batch (more items than a process should hold): opened, filled with
    // `deferred` chunks as they fill, then sealed — its chunks queued — or discarded. Until
    // the seal no chunk runs, so a stream that breaks off never runs half a batch.

    /// Stores `batch` unsealed with no chunks, unless a batch with its id exists: then
    /// stores nothing and returns that one.
    func openBatch(_ batch: Batch) async throws -> BatchStatus?
    /// Stores more chunks (`deferred`, of this batch) of the unsealed batch `id`, all or
    /// none. Throws ``TockError/invalidArgument(_:)`` if the batch is not open or a
    /// chunk's id exists.
    func appendChunks(_ chunks: [Job], toBatch id: String) async throws
    /// Seals the open batch `id`: its `deferred` chunks become `queued` (at `now`) and its
    /// total their count, at once. A queue that would hold more `queued` jobs than
    /// `maxQueued` allows throws ``TockError/queueFull(_:maxQueued:)`` and leaves the batch
    /// open (the caller discards it).
    /// - Returns: The sealed batch.
    func sealBatch(_ id: String, maxQueued: [String: Int], now: Date) async throws -> Batch
    /// Deletes the unsealed batch `id` and its chunks; a sealed batch is left as it is.
    /// - Returns: Whether an unsealed batch was deleted.
    func discardBatch(_ id: String) async throws -> Bool
}

/// Actions on every job a filter matches, however many: done in bounded chunks (the
/// filter's `limit` and `cursor` are ignored), so that a million matches neither hold the
/// backend for long nor sit in memory. A job that changes meanwhile so that it no longer
/// matches, or no longer allows the action, is skipped.
public protocol BulkJobStore: Sendable {
    /// Requeues (``Job/requeued(now:)``) every ended job `filter` matches; jobs not ended
    /// are skipped. Returns how many were requeued.
    func requeue(matching filter: JobFilter, now: Date) async throws -> Int
    /// Deletes every job `filter` matches except running (`started`) ones, which their
    /// worker still writes to. Returns how many were deleted.
    func delete(matching filter: JobFilter) async throws -> Int
}

/// How many jobs one chunk of a ``BulkJobStore`` action takes (one transaction on SQLite).
public enum BulkChunk {
    public static let size = 500
}

/// Everything a Tock backend does.
public typealias TockBackend = JobQueueBackend & JobStore & WorkerRegistry & JobEventLog & BatchStore & SchedulerStore
    & QueueControl
    & BulkJobStore

/// What ``JobQueueBackend/enqueue(_:maxQueued:)`` did with one job.
public struct EnqueueOutcome: Sendable, Hashable {
    /// The stored job: the new one, or the existing one with the same id.
    public var job: Job
    /// `false` when a job with that id existed already.
    public var created: Bool

    public init(job: Job, created: Bool) {
        self.job = job
        self.created = created
    }
}
