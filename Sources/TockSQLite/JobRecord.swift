import Foundation
import GRDB
import TockCore
import TockValues

/// A job as a row of the `jobs` table: the column list every query selects, in order,
/// and the conversions both ways. Times are ``StoredTime`` microseconds; `args`,
/// `kwargs`, `result`, `progress` and `retry_intervals` are ``JSONText``; a `nil`
/// result is SQL `NULL` while a `null` result is the text `null`.
enum JobRecord {
    /// The columns, in the order ``values(_:)`` gives and ``job(_:)`` reads.
    static let columns = [
        "id", "name", "args", "kwargs", "queue", "timeout", "status", "created_at", "enqueued_at", "started_at",
        "ended_at", "last_heartbeat", "worker", "result", "error", "retries_left", "retry_intervals", "progress",
        "batch", "origin", "scheduled_for", "stop_requested", "expires_at",
    ]

    /// `id, name, …` for `SELECT` lists.
    static let selection = columns.joined(separator: ", ")

    /// The row's values, in ``columns`` order.
    static func values(_ job: Job) -> [DatabaseValue] {
        let values: [(any DatabaseValueConvertible)?] = [
            job.id.rawValue, job.name, JSONText.encode(.array(job.args)), JSONText.encode(.object(job.kwargs)),
            job.queue, job.timeout, job.status.rawValue, StoredTime.microseconds(job.createdAt),
            job.enqueuedAt.map(StoredTime.microseconds), job.startedAt.map(StoredTime.microseconds),
            job.endedAt.map(StoredTime.microseconds), job.lastHeartbeat.map(StoredTime.microseconds), job.worker,
            job.result.map(JSONText.encode), job.error, job.retriesLeft, JSONText.encode(job.retryIntervals),
            job.progress.map(\.jsonText), job.batch, job.origin, job.scheduledFor.map(StoredTime.microseconds),
            job.stopRequested, job.expiresAt.map(StoredTime.microseconds),
        ]
        return values.map { $0?.databaseValue ?? .null }
    }

    /// The job a row selected with ``selection`` holds.
    /// - Throws: ``StoredValueError`` for a status or JSON value it cannot read.
    static func job(_ row: Row) throws -> Job {
        let id: String = row[0]
        let label = "job '\(id)'"
        let statusText: String = row[6]
        guard let status = JobStatus(rawValue: statusText) else {
            throw StoredValueError(row: label, column: "status", detail: "unknown status '\(statusText)'")
        }
        let resultText: String? = row[13]
        let progressText: String? = row[17]
        return Job(
            id: JobID(unchecked: id), name: row[1],
            args: try JSONText.array(row[2], column: "args", row: label),
            kwargs: try JSONText.object(row[3], column: "kwargs", row: label),
            queue: row[4], timeout: row[5], status: status, createdAt: StoredTime.date(row[7]),
            enqueuedAt: date(row[8]), startedAt: date(row[9]), endedAt: date(row[10]), lastHeartbeat: date(row[11]),
            worker: row[12],
            result: try resultText.map { try JSONText.value($0, column: "result", row: label) },
            error: row[14], retriesLeft: row[15],
            retryIntervals: try JSONText.integers(row[16], column: "retry_intervals", row: label),
            progress: try progressText.map { try progress($0, row: label) },
            batch: row[18], origin: row[19], scheduledFor: date(row[20]), stopRequested: row[21],
            expiresAt: date(row[22]))
    }

    /// Reads what ``TockCore/JobProgress/jsonText`` wrote.
    static func progress(_ text: String, row: String) throws -> JobProgress {
        let members = try JSONText.object(text, column: "progress", row: row)
        guard let progress = JobProgress(json: .object(members)) else {
            throw StoredValueError(row: row, column: "progress", detail: "no percent (\(text.prefix(80)))")
        }
        return progress
    }

    private static func date(_ microseconds: Int64?) -> Date? { microseconds.map(StoredTime.date) }
}
