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
            ("timeout", String(job.timeout)),
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
    static func job(id: String, hash: [String: [UInt8]], latestResult: RQResult?, zlib: RQZlib) throws(Unreadable) -> Job {
        func time(_ field: String) throws(Unreadable) -> Date? {
            guard let value = hash.text(field) else { return nil }
            guard let date = RQTime.date(value) else { throw Unreadable(id: id, detail: "\(field) '\(value)' is not a time") }
            return date
        }
        guard let data = hash["data"] else { throw Unreadable(id: id, detail: "it has no data field") }
        let call: RQJobData.Call
        do {
            call = try RQJobData.decode(data, zlib: zlib)
        } catch {
            throw Unreadable(id: id, detail: error.description)
        }
        let status = hash.text("status").map(Self.status) ?? .queued
        var job = Job(
            id: JobID(unchecked: id), name: call.name, args: call.args, kwargs: call.kwargs,
            queue: hash.text("origin") ?? "default",
            timeout: hash.text("timeout").flatMap { Int($0) ?? Double($0).map { Int($0) } } ?? 180,
            status: status, createdAt: try time("created_at") ?? Date(timeIntervalSince1970: 0),
            enqueuedAt: try time("enqueued_at"), startedAt: try time("started_at"), endedAt: try time("ended_at"),
            lastHeartbeat: try time("last_heartbeat"), worker: hash.text("worker_name"),
            retriesLeft: hash.text("retries_left").flatMap { Int($0) } ?? 0,
            batch: hash.text("group_id"), origin: hash.text("tock_origin") ?? "rq",
            scheduledFor: try time("tock_scheduled_for"), stopRequested: hash.text("tock_stop") == "1",
            expiresAt: try time("tock_expires_at"), resultTTL: hash.text("result_ttl").flatMap { Int($0) },
            failureTTL: hash.text("failure_ttl").flatMap { Int($0) })
        if let intervals = hash.text("retry_intervals"), case .array(let values)? = try? JSONParser.parse(intervals) {
            job.retryIntervals = values.compactMap { $0.numberValue.map { Int($0) } }
        }
        if let progress = hash.text("tock_progress"), let value = try? JSONParser.parse(progress) {
            job.progress = JobProgress(json: value)
        }
        job.error = hash.text("tock_error")
        if let result = latestResult {
            switch (status, result.type) {
            case (.finished, .successful): job.result = result.returnValue
            case (.failed, _), (.stopped, _), (.scheduled, _):
                if job.error == nil, let error = result.error { job.error = error }
            default: break
            }
        }
        return job
    }

    /// A job whose `data` cannot be read, as far as its other fields tell: what listings
    /// show and what a refused claim fails.
    static func placeholder(id: String, hash: [String: [UInt8]], reason: String, zlib: RQZlib) -> Job {
        var readable = hash
        readable["data"] = RQJobData.encode(name: "(unreadable)", args: [], kwargs: [:], zlib: zlib)
        var job =
            (try? job(id: id, hash: readable, latestResult: nil, zlib: zlib))
            ?? Job(id: JobID(unchecked: id), name: "(unreadable)", queue: "default", timeout: 180, createdAt: Date(timeIntervalSince1970: 0), origin: "rq")
        if job.error == nil { job.error = reason }
        return job
    }

    /// RQ's statuses; `created` (a job RQ made but never queued) reads as queued.
    static func status(_ text: String) -> JobStatus {
        JobStatus(rawValue: text) ?? (text == "created" ? .queued : .failed)
    }
}
