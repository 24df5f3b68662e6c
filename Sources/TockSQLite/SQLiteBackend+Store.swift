import Foundation
import GRDB
import TockCore

extension SQLiteBackend: JobStore {
    public func job(_ id: JobID) async throws -> Job? {
        try await read { tables in try tables.job(id) }
    }

    /// Newest first: by creation time, then by order of insertion.
    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        guard filter.limit > 0 else { return [] }
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status = filter.status {
            // A literal (one of JobStatus's raw values), so that the partial indexes apply.
            conditions.append("status = '\(status.rawValue)'")
        }
        if let queue = filter.queue {
            conditions.append("queue = ?")
            arguments.append(queue)
        }
        if let batch = filter.batch {
            conditions.append("batch = ?")
            arguments.append(batch)
        }
        arguments.append(filter.limit)
        let clause =
            (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY created_at DESC, rowid DESC LIMIT ?"
        let bound = StatementArguments(arguments.map { $0?.databaseValue ?? .null })
        return try await read { tables in try tables.jobs(clause, bound) }
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

    public func requestStop(_ id: JobID, now: Date) async throws -> Job {
        try await write { tables in
            let job = try tables.existingJob(id)
            return try tables.store(job.stopRequested(now: now), replacing: job)
        }
    }

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

    public func delete(_ id: JobID) async throws -> Bool {
        try await write { tables in try tables.delete(id) }
    }
}

extension JobTables {
    /// The job with id `id`.
    /// - Throws: ``TockCore/TockError/jobNotFound(_:)``.
    func existingJob(_ id: JobID) throws -> Job {
        guard let job = try job(id) else { throw TockError.jobNotFound(id) }
        return job
    }
}
