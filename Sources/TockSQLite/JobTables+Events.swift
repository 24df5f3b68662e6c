import Foundation
import GRDB
import TockCore

extension JobTables {
    /// Appends the job's current status and progress to the event log.
    func appendEvent(_ job: Job, at: Date) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO events (job, queue, status, progress, batch, at) VALUES (?, ?, ?, ?, ?, ?)")
        try statement.execute(arguments: [
            job.id.rawValue, job.queue, job.status.rawValue, job.progress.map(\.jsonText), job.batch,
            StoredTime.microseconds(at),
        ])
    }

    /// Events after `cursor`, oldest first, at most `limit`.
    func events(after cursor: Int64, limit: Int) throws -> [JobEvent] {
        let statement = try db.cachedStatement(
            sql: "SELECT cursor, job, queue, status, progress, batch, at FROM events WHERE cursor > ? ORDER BY cursor LIMIT ?")
        return try Row.fetchAll(statement, arguments: [cursor, max(0, limit)]).map { row in
            let cursor: Int64 = row[0]
            let label = "event \(cursor)"
            let statusText: String = row[3]
            guard let status = JobStatus(rawValue: statusText) else {
                throw StoredValueError(row: label, column: "status", detail: "unknown status '\(statusText)'")
            }
            let progressText: String? = row[4]
            return JobEvent(
                cursor: cursor, job: JobID(unchecked: row[1]), queue: row[2], status: status,
                progress: try progressText.map { try JobRecord.progress($0, row: label) },
                batch: row[5], at: StoredTime.date(row[6]))
        }
    }

    /// Deletes the events beyond the newest `kept` and those logged before `cutoff` —
    /// but never the newest event, whose cursor the next one's is counted from.
    func pruneEvents(keeping kept: Int, loggedSince cutoff: Date) throws {
        let newest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(cursor) FROM events")) ?? 0
        try db.cachedStatement(sql: "DELETE FROM events WHERE cursor <= ?")
            .execute(arguments: [min(newest - 1, newest - Int64(max(0, kept)))])
        try db.cachedStatement(sql: "DELETE FROM events WHERE at < ? AND cursor < ?")
            .execute(arguments: [StoredTime.microseconds(cutoff), newest])
    }
}
