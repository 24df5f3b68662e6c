import Foundation
import GRDB
import TockCore

/// The tables as one transaction sees them: the reads and writes operations are made of.
/// Every change of a job goes through ``insert(_:)`` or ``store(_:replacing:)``, which
/// log its event in the same transaction — the one place a job's record changes.
struct JobTables {
    let db: Database

    /// The job with id `id`, if any; an unreadable row as ``JobRecord/Read/shown``.
    func job(_ id: JobID) throws -> Job? {
        let statement = try db.cachedStatement(sql: "SELECT \(JobRecord.selection) FROM jobs WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [id.rawValue]).map { JobRecord.read($0).shown }
    }

    /// The jobs `SELECT … FROM jobs <clause>` finds, in its order; unreadable rows as
    /// ``JobRecord/Read/shown`` (listed with what is wrong, never stopping the listing).
    func jobs(_ clause: String, _ arguments: StatementArguments = StatementArguments()) throws -> [Job] {
        try records(clause, arguments).map(\.shown)
    }

    /// The rows `SELECT … FROM jobs <clause>` finds, as read: each with its problem, if any.
    func records(_ clause: String, _ arguments: StatementArguments = StatementArguments()) throws -> [JobRecord.Read] {
        let statement = try db.cachedStatement(sql: "SELECT \(JobRecord.selection) FROM jobs \(clause)")
        return try Row.fetchAll(statement, arguments: arguments).map(JobRecord.read)
    }

    /// Stores a new job (its times rounded as ``StoredTime`` says) and logs its event (at
    /// its enqueue time, else its creation).
    /// - Returns: The job as stored, or `nil`, storing nothing, when a job with its id exists.
    func insert(_ job: Job) throws -> Job? {
        let job = job.roundedToMicroseconds()
        let placeholders = Array(repeating: "?", count: JobRecord.columns.count).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO jobs (\(JobRecord.selection)) VALUES (\(placeholders)) ON CONFLICT (id) DO NOTHING")
        try statement.execute(arguments: StatementArguments(JobRecord.values(job)))
        guard db.changesCount > 0 else { return nil }
        try appendEvent(job, at: job.enqueuedAt ?? job.createdAt)
        return job
    }

    /// Replaces `previous` (as read in this transaction) by `job` (its times rounded as
    /// ``StoredTime`` says), writing only the columns that differ, and logs an event when
    /// the status or progress changed.
    /// - Returns: The job as stored.
    @discardableResult
    func store(_ job: Job, replacing previous: Job) throws -> Job {
        let job = job.roundedToMicroseconds()
        let new = JobRecord.values(job)
        let old = JobRecord.values(previous)
        var assignments: [String] = []
        var arguments: [DatabaseValue] = []
        for index in new.indices.dropFirst() where new[index] != old[index] {
            assignments.append("\(JobRecord.columns[index]) = ?")
            arguments.append(new[index])
        }
        if !assignments.isEmpty {
            let statement = try db.cachedStatement(
                sql: "UPDATE jobs SET \(assignments.joined(separator: ", ")) WHERE id = ?")
            try statement.execute(arguments: StatementArguments(arguments + [new[0]]))
        }
        if previous.status != job.status || previous.progress != job.progress {
            try appendEvent(job, at: job.lastHeartbeat ?? job.endedAt ?? job.createdAt)
        }
        return job
    }

    /// Stores new jobs, all or none: an existing id (in the table or earlier in `jobs`)
    /// gives the existing job, `created == false`. Throws, for the caller's transaction
    /// to roll back, when a queue would hold more `queued` jobs than `maxQueued` allows.
    func enqueue(_ jobs: [Job], maxQueued: [String: Int]) throws -> [EnqueueOutcome] {
        var outcomes: [EnqueueOutcome] = []
        outcomes.reserveCapacity(jobs.count)
        var adding: Set<String> = []
        for job in jobs {
            if let stored = try insert(job) {
                outcomes.append(EnqueueOutcome(job: stored, created: true))
                if stored.status == .queued { adding.insert(stored.queue) }
            } else if let existing = try self.job(job.id) {
                outcomes.append(EnqueueOutcome(job: existing, created: false))
            } else {
                throw StoredValueError(row: "job '\(job.id)'", column: "id", detail: "neither stored nor found")
            }
        }
        for queue in adding.sorted() {
            if let maximum = maxQueued[queue], try queuedCount(queue) > maximum {
                throw TockError.queueFull(queue, maxQueued: maximum)
            }
        }
        return outcomes
    }

    /// How many `queued` jobs `queue` holds.
    func queuedCount(_ queue: String) throws -> Int {
        let statement = try db.cachedStatement(sql: "SELECT count FROM job_counts WHERE queue = ? AND status = 'queued'")
        return try Int.fetchOne(statement, arguments: [queue]) ?? 0
    }

    /// Deletes the job's record (no event: the job is gone, not changed).
    /// - Returns: Whether there was one.
    func delete(_ id: JobID) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM jobs WHERE id = ?").execute(arguments: [id.rawValue])
        return db.changesCount > 0
    }
}
