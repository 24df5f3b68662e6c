import Foundation
import GRDB
import TockCore

extension SQLiteBackend: JobQueueBackend {
    /// Stores new jobs in one transaction, all or none; see
    /// ``TockCore/JobQueueBackend/enqueue(_:maxQueued:)``.
    ///
    /// - Returns: The jobs as stored (times rounded to microseconds), or the existing ones.
    /// - Throws: ``TockCore/TockError/queueFull(_:maxQueued:)``, storing nothing.
    public func enqueue(_ jobs: [Job], maxQueued: [String: Int]) async throws -> [EnqueueOutcome] {
        guard !jobs.isEmpty else { return [] }
        return try await write { tables in try tables.enqueue(jobs, maxQueued: maxQueued) }
    }

    /// Takes the oldest queued job (by enqueue time, then id) of the first of `queues` that
    /// has one and marks it started by `worker`, in one `IMMEDIATE` transaction: no other
    /// connection, in any process, can claim it too.
    public func claim(from queues: [String], worker: String, now: Date) async throws -> Job? {
        guard !queues.isEmpty else { return nil }
        return try await write { tables in try Self.claim(from: queues, worker: worker, now: now, in: tables) }
    }

    /// The claim itself, inside a write transaction. A row that cannot be read (damaged,
    /// or written by hand or an older version) is failed with what is wrong
    /// (``TockCore/JobOutcome/unreadable(_:)``) and the claim goes on to the next job: one
    /// bad row never blocks its queue. Only the columns the failure changes are written,
    /// so the unreadable values stay as they were for whoever looks into it.
    /// Paused queues (``TockCore/QueueControl``) are read in the same transaction and
    /// skipped.
    static func claim(from queues: [String], worker: String, now: Date, in tables: JobTables) throws -> Job? {
        let paused = try tables.pausedQueues()
        for queue in queues where !paused.contains(queue) {
            while let oldest = try tables.records(
                "WHERE status = 'queued' AND queue = ? ORDER BY COALESCE(enqueued_at, created_at), id LIMIT 1",
                [queue]
            ).first {
                guard let problem = oldest.problem else {
                    return try tables.store(oldest.job.claimed(by: worker, now: now), replacing: oldest.job)
                }
                let failed = oldest.job.claimed(by: worker, now: now).completed(.unreadable(problem.description), now: now)
                try tables.store(failed, replacing: oldest.job)
            }
        }
        return nil
    }

    /// Ends a run and claims the worker's next job in one transaction: half the write
    /// locks of a busy worker, which is what bounds throughput with several processes.
    public func complete(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date, thenClaimFrom queues: [String]
    ) async throws -> (completed: Job?, next: Job?) {
        try await write { tables in
            let completed = try Self.complete(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now, in: tables)
            return (completed, try Self.claim(from: queues, worker: worker, now: now, in: tables))
        }
    }

    /// Ends a run if the job is still the run `worker` claimed (``TockCore/Job/isRun(by:claimedAt:)``),
    /// and its batch when this was the batch's last chunk (enqueueing the batch's
    /// `onComplete` job), in one transaction.
    public func complete(_ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date) async throws -> Job? {
        try await write { tables in
            try Self.complete(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now, in: tables)
        }
    }

    /// The completion itself, inside a write transaction.
    static func complete(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date, in tables: JobTables
    ) throws -> Job? {
        guard let job = try tables.job(id), job.isRun(by: worker, claimedAt: claimedAt) else { return nil }
        let ended = try tables.store(job.completed(outcome, now: now), replacing: job)
        try tables.endBatchIfDone(ended, now: now)
        return ended
    }

    /// Records progress (and a heartbeat) of a started job; does nothing for others.
    public func reportProgress(_ id: JobID, progress: JobProgress, now: Date) async throws {
        try await write { tables in
            guard var job = try tables.job(id), job.status == .started else { return }
            let previous = job
            job.progress = progress
            job.lastHeartbeat = now
            try tables.store(job, replacing: previous)
        }
    }

    /// Queues the scheduled jobs that are due. A read first: when nothing is due (the
    /// usual case) no write lock is taken.
    ///
    /// - Returns: When the next scheduled job is due, if any.
    public func promoteDueJobs(now: Date) async throws -> Date? {
        let nowMicroseconds = StoredTime.microseconds(now)
        let earliest = try await read { tables in try tables.earliestScheduled(after: nil) }
        guard let earliest, earliest <= nowMicroseconds else { return earliest.map(StoredTime.date) }
        let next = try await write { tables in
            let due = try tables.jobs(
                "WHERE status = 'scheduled' AND scheduled_for <= ? ORDER BY scheduled_for, id", [nowMicroseconds])
            for job in due { try tables.store(job.promoted(now: now), replacing: job) }
            return try tables.earliestScheduled(after: nowMicroseconds)
        }
        return next.map(StoredTime.date)
    }

    /// Returns when another connection (in any process) or this one commits, or after
    /// `timeout`, or when the task is cancelled; see ``ChangeWatcher``.
    public func waitForChange(timeout: Duration) async {
        await watcher.wait(timeout: timeout)
    }
}

extension JobTables {
    /// The earliest `scheduled_for` of a scheduled job, later than `after` when given.
    func earliestScheduled(after: Int64?) throws -> Int64? {
        let statement = try db.cachedStatement(
            sql: "SELECT MIN(scheduled_for) FROM jobs WHERE status = 'scheduled' AND scheduled_for > ?")
        return try Int64.fetchOne(statement, arguments: [after ?? Int64.min])
    }
}
