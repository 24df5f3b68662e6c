import Foundation

/// A worker as operators see it (`tock workers`, `GET /api/v1/workers`): its record, when
/// its current job started, and whether it is dead — its heartbeat older than
/// `heartbeat_timeout`, its jobs due to be recovered as abandoned.
public struct WorkerOverview: Sendable, Hashable {
    public var record: WorkerRecord
    public var currentJobStartedAt: Date?
    /// Seconds without a heartbeat after which the worker counts as dead.
    public var heartbeatTimeout: Int

    public init(record: WorkerRecord, currentJobStartedAt: Date? = nil, heartbeatTimeout: Int) {
        self.record = record
        self.currentJobStartedAt = currentJobStartedAt
        self.heartbeatTimeout = heartbeatTimeout
    }

    public func heartbeatAge(at now: Date) -> TimeInterval { max(0, now.timeIntervalSince(record.lastHeartbeat)) }

    public func isDead(at now: Date) -> Bool { heartbeatAge(at: now) > TimeInterval(heartbeatTimeout) }
}

extension JobClient {
    /// Every registered worker, with its current job's start (one read per busy worker).
    public func workerOverviews() async throws -> [WorkerOverview] {
        var overviews: [WorkerOverview] = []
        for worker in try await backend.workers() {
            let started = try await worker.currentJob.asyncMap { try await backend.job($0)?.startedAt } ?? nil
            overviews.append(WorkerOverview(record: worker, currentJobStartedAt: started, heartbeatTimeout: configuration.heartbeatTimeout))
        }
        return overviews
    }
}
