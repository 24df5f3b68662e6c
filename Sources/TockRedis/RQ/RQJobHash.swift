import Foundation
import TockCore
import TockValues

/// A job as the hash `rq:job:<id>` holds it: RQ's fields (`rq-compat.md`) and Tock's own,
/// prefixed `tock_`, which RQ ignores. The result and the error of a run are in the result
/// stream (``RQResult``), where RQ keeps them; Tock also keeps its own error text in
/// `tock_error` so that a retried job shows why it failed.
enum RQJobHash {
    /// The fields of `job` but `data` (the compressed call, written once at enqueue). RQ's
    /// always-present fields are empty strings when unset.
    static func fields(_ job: Job) -> [String: String] {
        Dictionary(orderedFields(job), uniquingKeysWith: { first, _ in first })
    }

    /// ``fields(_:)`` as pairs, as a new job's `HSET` writes them.
    static func orderedFields(_ job: Job) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("created_at", RQTime.text(job.createdAt)),
            ("success_callback_name", ""), ("failure_callback_name", ""), ("stopped_callback_name", ""),
            ("started_at", job.startedAt.map(RQTime.text) ?? ""),
            ("ended_at", job.endedAt.map(RQTime.text) ?? ""),
            ("last_heartbeat", job.lastHeartbeat.map(RQTime.text) ?? ""),
            ("worker_name", job.worker ?? ""),
            ("group_id", job.batch ?? ""),
            ("status", job.status.rawValue),
            ("origin", job.queue),
            ("description", description(job)),
            ("timeout", String(job.timeLimit ?? Job.noTimeout)),
            ("retries_left", String(job.retriesLeft)),
            ("tock_origin", job.origin),
        ]
        if let enqueuedAt = job.enqueuedAt { fields.append(("enqueued_at", RQTime.text(enqueuedAt))) }
        if !job.retryIntervals.isEmpty { fields.append(("retry_intervals", JSONText.encode(job.retryIntervals))) }
        if let scheduledFor = job.scheduledFor { fields.append(("tock_scheduled_for", RQTime.text(scheduledFor))) }
        if let expiresAt = job.expiresAt { fields.append(("tock_expires_at", RQTime.text(expiresAt))) }
        if let progress = job.progress { fields.append(("tock_progress", progress.jsonText)) }
        if job.stopRequested { fields.append(("tock_stop", "1")) }
        if let error = job.error { fields.append(("tock_error", error)) }
        if let resultTTL = job.resultTTL { fields.append(("result_ttl", String(resultTTL))) }
        if let failureTTL = job.failureTTL { fields.append(("failure_ttl", String(failureTTL))) }
        return fields
    }

    /// The zlib JSON `data` of `job`.
    static func data(_ job: Job, zlib: RQZlib) -> [UInt8] {
        RQJobData.encode(name: job.name, args: job.args, kwargs: job.kwargs, zlib: zlib)
    }

    /// The fields to set and to delete to turn the hash of `old` into that of `new`.
    static func changes(from old: Job, to new: Job) -> (set: [(String, String)], delete: [String]) {
        let before = fields(old)
        let after = fields(new)
        let set = after.filter { before[$0.key] != $0.value }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let delete = before.keys.filter { after[$0] == nil }.sorted()
        return (set, delete)
    }

    /// RQ's call string, `name(args…, key=value…)`, shown by RQ's dashboards.
    static func description(_ job: Job) -> String {
        let arguments = job.args.map(JSONText.encode) + job.kwargs.sorted { $0.key < $1.key }.map { "\($0.key)=\(JSONText.encode($0.value))" }
        return "\(job.name)(\(arguments.joined(separator: ", ")))"
    }

    /// Why a stored job could not be read.
    struct Unreadable: Error, CustomStringConvertible {
        var id: String
        var detail: String
        var description: String { "job '\(id)' in Redis cannot be read: \(detail)" }
    }

    /// The job in `hash` (field → bytes), with its latest result entry if it has one.
    ///
    /// RQ's special values are read as RQ 2.12 reads them (`Job.restore`, the worker):
    /// `timeout` absent, empty or `0` is RQ's default of 180 s, negative (RQ's `-1`) is no
    /// timeout; `result_ttl`/`failure_ttl` absent is the configured TTL, `0` expires the
    /// job as soon as it ends, negative keeps it until deleted. Every number goes through
    /// ``CheckedInteger``: one that is not a number or out of range (`nan`, `1e300`) makes
    /// the job unreadable, naming the field.
    /// - Throws: ``Unreadable`` for the first field it cannot read.
    static func job(id: String, hash: [String: [UInt8]], latestResult: RQResult?, zlib: RQZlib) throws(Unreadable) -> Job {
        guard let data = hash["data"] else { throw Unreadable(id: id, detail: "it has no data field") }
        let call: RQJobData.Call
        do {
            call = try RQJobData.decode(data, zlib: zlib)
        } catch {
            throw Unreadable(id: id, detail: error.description)
        }
        var job = try fields(id: id, hash: hash, call: call, lenient: false)
        if let result = latestResult {
            switch (job.status, result.type) {
            case (.finished, .successful): job.result = result.returnValue
            case (.failed, _), (.stopped, _), (.scheduled, _):
                if job.error == nil, let error = result.error { job.error = error }
            default: break
            }
        }
        return job
    }

    /// The job's fields but `data` (given as `call`). `lenient`: a field that cannot be
    /// read reads as absent instead of throwing (for ``placeholder(id:hash:reason:zlib:)``).
    private static func fields(id: String, hash: [String: [UInt8]], call: RQJobData.Call, lenient: Bool) throws(Unreadable) -> Job {
        func time(_ field: String) throws(Unreadable) -> Date? {
            guard let value = hash.text(field) else { return nil }
            guard let date = RQTime.date(value) else {
                if lenient { return nil }
                throw Unreadable(id: id, detail: "\(field) '\(value.prefix(40))' is not a time")
            }
            return date
        }
        func integer(_ field: String, _ expected: String) throws(Unreadable) -> Int? {
            guard let value = hash.text(field) else { return nil }
            do {
                return try CheckedInteger.integer(value, field: field, in: Int.min...Int.max, rounding: .up)
            } catch {
                if lenient { return nil }
                throw Unreadable(id: id, detail: NumberRangeError(field: field, value: error.value, expected: expected).description)
            }
        }
        let seconds = "an integer number of seconds"
        var job = Job(
            id: JobID(unchecked: id), name: call.name, args: call.args, kwargs: call.kwargs,
            queue: hash.text("origin") ?? "default", timeout: timeout(try integer("timeout", "\(seconds), -1 for none")),
            status: hash.text("status").map(Self.status) ?? .queued,
            createdAt: try time("created_at") ?? Date(timeIntervalSince1970: 0),
            enqueuedAt: try time("enqueued_at"), startedAt: try time("started_at"), endedAt: try time("ended_at"),
            lastHeartbeat: try time("last_heartbeat"), worker: hash.text("worker_name"),
            retriesLeft: max(0, try integer("retries_left", "an integer") ?? 0),
            batch: hash.text("group_id"), origin: hash.text("tock_origin") ?? "rq",
            scheduledFor: try time("tock_scheduled_for"), stopRequested: hash.text("tock_stop") == "1",
            expiresAt: try time("tock_expires_at"), resultTTL: ttl(try integer("result_ttl", "\(seconds), -1 to keep it")),
            failureTTL: ttl(try integer("failure_ttl", "\(seconds), -1 to keep it")))
        if let intervals = hash.text("retry_intervals") {
            do {
                job.retryIntervals = try retryIntervals(intervals)
            } catch {
                if !lenient { throw Unreadable(id: id, detail: error.description) }
            }
        }
        if let progress = hash.text("tock_progress"), let value = try? JSONParser.parse(progress) {
            job.progress = JobProgress(json: value)
        }
        job.error = hash.text("tock_error")
        return job
    }

    /// RQ's `timeout` as ``TockCore/Job/timeout`` holds it: absent or `0` → RQ's default
    /// (180 s, what its worker uses for `job.timeout or DEFAULT_TIMEOUT`); negative → no
    /// timeout; longer than ``TockValues/JobLimits/maximumSeconds`` → that.
    static func timeout(_ seconds: Int?) -> Int {
        guard let seconds, seconds != 0 else { return defaultTimeout }
        return seconds < 0 ? Job.noTimeout : min(seconds, JobLimits.maximumSeconds)
    }

    /// RQ's `Queue.DEFAULT_TIMEOUT`.
    static let defaultTimeout = 180

    /// RQ's `result_ttl`/`failure_ttl`: negative → `-1` (kept until deleted), longer than
    /// ``TockValues/JobLimits/maximumSeconds`` → that.
    static func ttl(_ seconds: Int?) -> Int? {
        seconds.map { $0 < 0 ? -1 : min($0, JobLimits.maximumSeconds) }
    }

    /// RQ's `retry_intervals`, a JSON list of seconds.
    private static func retryIntervals(_ text: String) throws(NumberRangeError) -> [Int] {
        guard case .array(let values)? = try? JSONParser.parse(text) else {
            throw NumberRangeError(field: "retry_intervals", value: String(text.prefix(40)), expected: "a JSON list of seconds")
        }
        return try values.enumerated().map { index, value throws(NumberRangeError) in
            try value.integer(field: "retry_intervals[\(index)]", in: 0...JobLimits.maximumSeconds, rounding: .up)
        }
    }

    /// A job whose `data` or another field cannot be read, as far as its other fields
    /// tell: what listings show and what a refused claim fails.
    static func placeholder(id: String, hash: [String: [UInt8]], reason: String, zlib: RQZlib) -> Job {
        let call = (try? RQJobData.decode(hash["data"] ?? [], zlib: zlib))
            ?? RQJobData.Call(name: "(unreadable)", args: [], kwargs: [:])
        // Lenient reading never throws.
        var job =
            (try? fields(id: id, hash: hash, call: call, lenient: true))
            ?? Job(id: JobID(unchecked: id), name: "(unreadable)", queue: "default", timeout: defaultTimeout, createdAt: Date(timeIntervalSince1970: 0), origin: "rq")
        job.error = reason
        return job
    }

    /// RQ's statuses; `created` (a job RQ made but never queued) reads as queued.
    static func status(_ text: String) -> JobStatus {
        JobStatus(rawValue: text) ?? (text == "created" ? .queued : .failed)
    }
}
