import Foundation
import GRDB
import TockCore
import TockValues

extension SQLiteBackend: JobStore {
    /// The job with id `id`, if its record exists.
    public func job(_ id: JobID) async throws -> Job? {
        try await read { tables in try tables.job(id) }
    }

    /// Newest first: by creation time, then by id (see ``JobTables/listing(_:)``).
    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        guard filter.limit > 0 else { return [] }
        return try await read { tables in try tables.listing(filter) }
    }

    /// Read from the `job_counts` table the schema's triggers keep (see ``Schema``).
    public func queueCounts() async throws -> [String: [JobStatus: Int]] {
        try await read { tables in
            var counts: [String: [JobStatus: Int]] = [:]
            let statement = try tables.db.cachedStatement(sql: "SELECT queue, status, count FROM job_counts WHERE count > 0")
            for row in try Row.fetchAll(statement) {
                let queue: String = row[0]
                let statusText: String = row[1]
                guard let status = JobStatus(rawValue: statusText) else {
                    throw StoredValueError(row: "a job of queue '\(queue)'", column: "status", detail: "unknown status '\(statusText)'")
                }
                counts[queue, default: [:]][status] = row[2]
            }
            return counts
        }
    }

    /// Withdraws a waiting job (``TockCore/Job/canceled(now:failureTTL:)``), ending its
    /// batch if it was the last chunk.
    public func cancel(_ id: JobID, now: Date, failureTTL: Int) async throws -> Job {
        try await write { tables in
            let job = try tables.existingJob(id)
            let canceled = try tables.store(job.canceled(now: now, failureTTL: failureTTL), replacing: job)
            try tables.endBatchIfDone(canceled, now: now)
            return canceled
        }
    }

    /// Flags a started job to be stopped (``TockCore/Job/stopRequested(now:)``); its worker
    /// learns of it at its next ``heartbeat(_:runningJobs:now:)``.
    public func requestStop(_ id: JobID, now: Date) async throws -> Job {
        try await write { tables in
            let job = try tables.existingJob(id)
            return try tables.store(job.stopRequested(now: now), replacing: job)
        }
    }

    /// Puts an ended job back on its queue, as new (``TockCore/Job/requeued(now:)``).
    public func requeue(_ id: JobID, now: Date) async throws -> Job {
        try await write { tables in
            let job = try tables.existingJob(id)
            return try tables.store(job.requeued(now: now), replacing: job)
        }
    }

    /// Requeues every failed job, oldest first, in one transaction.
    public func requeueFailed(now: Date) async throws -> [Job] {
        try await write { tables in
            try tables.jobs("WHERE status = 'failed' ORDER BY created_at, rowid").map { job in
                try tables.store(job.requeued(now: now), replacing: job)
            }
        }
    }

    /// Deletes the job's record (its events stay in the log).
    /// - Returns: `false` if there was none.
    public func delete(_ id: JobID) async throws -> Bool {
        try await write { tables in try tables.delete(id) }
    }
}

extension JobTables {
    /// How many jobs have `status` (in `queue`, when given), from `job_counts`.
    func count(_ status: JobStatus, queue: String?) throws -> Int {
        let statement = try db.cachedStatement(
            sql: "SELECT TOTAL(count) FROM job_counts WHERE status = ? AND (?2 IS NULL OR queue = ?2)")
        return CheckedInteger.clamped(try Double.fetchOne(statement, arguments: [status.rawValue, queue]) ?? 0, to: 0...Int.max)
    }

    /// The job with id `id`.
    /// - Throws: ``TockCore/TockError/jobNotFound(_:)``.
    func existingJob(_ id: JobID) throws -> Job {
        guard let job = try job(id) else { throw TockError.jobNotFound(id) }
        return job
    }
}
