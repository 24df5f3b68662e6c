import Foundation
import GRDB
import TockCore
import TockValues

/// A job as a row of the `jobs` table: the column list every query selects, in order,
/// and the conversions both ways. Times are ``StoredTime`` microseconds; `args`,
/// `kwargs`, `result`, `progress` and `retry_intervals` are ``JSONText``; a `nil`
/// result is SQL `NULL` while a `null` result is the text `null`.
enum JobRecord {
    /// The columns, in the order ``values(_:)`` gives and ``read(_:)`` reads.
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

    /// A row as read: the job, and the first column that could not be read, if any.
    struct Read {
        /// The job; a column that could not be read holds its default (empty args, …).
        var job: Job
        /// What could not be read; `nil` for a sound row.
        var problem: StoredValueError?

        /// The job as listings show it: an unreadable row with the problem as its error,
        /// and as `failed` when even its status is unreadable.
        var shown: Job {
            guard let problem else { return job }
            var job = job
            job.error = problem.description
            return job
        }
    }

    /// The job a row selected with ``selection`` holds. Never traps and never throws: a row
    /// written by hand, by another program or damaged reads as far as it can, with the
    /// first column it cannot read as its ``Read/problem`` (GRDB's typed subscripts would
    /// stop the process on such a row).
    static func read(_ row: Row) -> Read {
        var reader = RowReader(row: row)
        let id = reader.text(0, "id") ?? "(unreadable)"
        reader.label = "job '\(id)'"
        let statusText = reader.text(6, "status")
        let status = statusText.flatMap(JobStatus.init(rawValue:))
        if status == nil, statusText != nil { reader.note("status", "unknown status '\(statusText ?? "")'") }
        let label = reader.label
        var job = Job(
            id: JobID(unchecked: id), name: reader.text(1, "name") ?? "(unreadable)",
            args: reader.json(2, "args") { text throws(StoredValueError) in try JSONText.array(text, column: "args", row: label) } ?? [],
            kwargs: reader.json(3, "kwargs") { text throws(StoredValueError) in try JSONText.object(text, column: "kwargs", row: label) } ?? [:],
            queue: reader.text(4, "queue") ?? "default",
            timeout: reader.integer(5, "timeout", in: Int.min...Int.max).map(Int.init) ?? 0,
            status: status ?? .failed, createdAt: reader.time(7, "created_at") ?? Date(timeIntervalSince1970: 0),
            enqueuedAt: reader.time(8, "enqueued_at"), startedAt: reader.time(9, "started_at"),
            endedAt: reader.time(10, "ended_at"), lastHeartbeat: reader.time(11, "last_heartbeat"),
            worker: reader.text(12, "worker"),
            result: reader.json(13, "result") { text throws(StoredValueError) in try JSONText.value(text, column: "result", row: label) },
            error: reader.text(14, "error"),
            retriesLeft: reader.integer(15, "retries_left", in: 0...Int.max).map(Int.init) ?? 0,
            retryIntervals: reader.json(16, "retry_intervals") { text throws(StoredValueError) in
                try JSONText.integers(text, column: "retry_intervals", row: label)
            } ?? [],
            progress: reader.json(17, "progress") { text throws(StoredValueError) in try progress(text, row: label) },
            batch: reader.text(18, "batch"), origin: reader.text(19, "origin") ?? "",
            scheduledFor: reader.time(20, "scheduled_for"),
            stopRequested: (reader.integer(21, "stop_requested", in: Int.min...Int.max) ?? 0) != 0,
            expiresAt: reader.time(22, "expires_at"))
        if reader.problem != nil, statusText == nil { job.status = .failed }
        return Read(job: job, problem: reader.problem)
    }

    /// Reads what ``TockCore/JobProgress/jsonText`` wrote.
    static func progress(_ text: String, row: String) throws(StoredValueError) -> JobProgress {
        let members = try JSONText.object(text, column: "progress", row: row)
        guard let progress = JobProgress(json: .object(members)) else {
            throw StoredValueError(row: row, column: "progress", detail: "no percent (\(text.prefix(80)))")
        }
        return progress
    }
}

/// Reads a row's columns by their SQLite storage class, noting the first that is not what
/// the schema says instead of trapping.
private struct RowReader {
    let row: Row
    var label = "a job"
    var problem: StoredValueError?

    init(row: Row) { self.row = row }

    mutating func note(_ column: String, _ detail: String) {
        if problem == nil { problem = StoredValueError(row: label, column: column, detail: detail) }
    }

    private func value(_ index: Int) -> DatabaseValue {
        let value: DatabaseValue = row[index]
        return value
    }

    mutating func text(_ index: Int, _ column: String) -> String? {
        switch value(index).storage {
        case .null: return nil
        case .string(let text): return text
        case .int64(let number): return String(number)
        case .double(let number): return "\(number)"
        case .blob(let data):
            if let text = String(data: data, encoding: .utf8) { return text }
            note(column, "a blob of \(data.count) bytes, not text")
            return nil
        }
    }

    mutating func integer(_ index: Int, _ column: String, in range: ClosedRange<Int>) -> Int64? {
        do throws(NumberRangeError) {
            switch value(index).storage {
            case .null: return nil
            case .int64(let number):
                guard range.contains(Int(number)) else {
                    throw NumberRangeError(field: column, value: String(number), expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return number
            case .double(let number): return Int64(try CheckedInteger.integer(number, field: column, in: range))
            case .string(let text): return Int64(try CheckedInteger.integer(text, field: column, in: range))
            case .blob(let data):
                throw NumberRangeError(field: column, value: "a blob of \(data.count) bytes", expected: "an integer")
            }
        } catch {
            note(column, "\(error.value) is not \(error.expected)")
            return nil
        }
    }

    mutating func time(_ index: Int, _ column: String) -> Date? {
        integer(index, column, in: Int(Int64.min)...Int(Int64.max)).map(StoredTime.date)
    }

    mutating func json<T>(_ index: Int, _ column: String, _ parse: (String) throws(StoredValueError) -> T) -> T? {
        guard let text = text(index, column) else { return nil }
        do {
            return try parse(text)
        } catch {
            if problem == nil { problem = error }
            return nil
        }
    }
}
