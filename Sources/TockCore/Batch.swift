import Foundation
import TockValues

/// A batch: one job name run over many items, split into chunks that run as jobs of
/// their own, reported as one thing.
public struct Batch: Sendable, Hashable {
    public var id: String
    public var name: String
    public var queue: String
    /// How many chunk jobs it has.
    public var total: Int
    public var createdAt: Date
    /// A job name enqueued once when the batch ends (finished or failed), on the batch's
    /// queue, with kwargs `{batch, status}`.
    public var onComplete: String?
    /// The timeout of the `onComplete` job, seconds.
    public var onCompleteTimeout: Int
    /// When the batch ended and `onComplete` was enqueued.
    public var completedAt: Date?
    /// `false` while a streamed batch is still being received (see ``BatchStore/openBatch(_:)``):
    /// its chunks wait as `deferred`, its `total` is not yet known, and it cannot end.
    public var sealed: Bool

    public init(
        id: String, name: String, queue: String, total: Int, createdAt: Date, onComplete: String? = nil,
        onCompleteTimeout: Int = 300, completedAt: Date? = nil, sealed: Bool = true
    ) {
        self.sealed = sealed
        self.onCompleteTimeout = onCompleteTimeout
        self.id = id
        self.name = name
        self.queue = queue
        self.total = total
        self.createdAt = createdAt
        self.onComplete = onComplete
        self.completedAt = completedAt
    }
}

/// A batch with its chunks counted by status.
public struct BatchStatus: Sendable, Hashable {
    public var batch: Batch
    public var counts: [JobStatus: Int]

    public init(batch: Batch, counts: [JobStatus: Int]) {
        self.batch = batch
        self.counts = counts
    }

    public func count(_ status: JobStatus) -> Int { counts[status, default: 0] }

    /// `deferred` while not sealed; `failed` when any chunk finally failed (or was stopped
    /// or canceled) and all have ended; `finished` when every chunk finished; else
    /// `started` or `queued`.
    public var status: JobStatus {
        guard batch.sealed else { return .deferred }
        if ended == batch.total {
            return count(.finished) == batch.total ? .finished : .failed
        }
        return count(.started) + count(.finished) + count(.failed) > 0 ? .started : .queued
    }

    /// How many chunks have ended (finished, failed, canceled or stopped).
    public var ended: Int { counts.filter { $0.key.isTerminal }.values.reduce(0, +) }

    /// Whether the batch is sealed and every chunk has ended.
    public var hasEnded: Bool { batch.sealed && ended == batch.total }

    /// Ended chunks as a percentage of all, 0–100 (0 while not sealed).
    public var percentDone: Double {
        guard batch.sealed, batch.total > 0 else { return 0 }
        return (Double(ended) * 1000 / Double(batch.total)).rounded(.down) / 10
    }
}

extension BatchStatus {
    /// When every chunk has ended and the batch is not yet marked ended: the batch as
    /// ended now, and its `onComplete` job (id `<batch>-complete`, so enqueueing it twice
    /// is a no-op) if it has one. Backends call this in the write that ends a chunk.
    public func ending(now: Date) -> (batch: Batch, onComplete: Job?)? {
        guard hasEnded, batch.completedAt == nil else { return nil }
        var ended = batch
        ended.completedAt = now
        let job = batch.onComplete.map { name in
            Job(
                id: JobID(unchecked: "\(batch.id)-complete"), name: name,
                kwargs: ["batch": .string(batch.id), "status": .string(status.rawValue)], queue: batch.queue,
                timeout: batch.onCompleteTimeout, createdAt: now, enqueuedAt: now, origin: "batch:\(batch.id)")
        }
        return (ended, job)
    }
}

extension Job {
    /// A streamed batch's chunk at its batch's seal: `deferred` becomes `queued` at `now`.
    /// Any other status is left as it is.
    public func releasedFromBatch(now: Date) -> Job {
        guard status == .deferred else { return self }
        var job = self
        job.status = .queued
        job.enqueuedAt = now
        return job
    }
}

extension Batch {
    /// Why `chunks` cannot be appended to this batch, if they cannot: the batch is sealed,
    /// or a chunk is not a `deferred` job of it.
    public func appendProblem(_ chunks: [Job]) -> String? {
        if sealed { return "batch '\(id)' is sealed; it takes no more chunks" }
        if let stray = chunks.first(where: { $0.batch != id || $0.status != .deferred }) {
            return "chunk '\(stray.id)' is not a deferred job of batch '\(id)'"
        }
        return nil
    }
}
