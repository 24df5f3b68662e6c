import Foundation
import TockCron
import TockValues

/// The JSON form of jobs and workers that the CLI prints and the API serves: the field
/// names of `docs/jobs.md`, snake_case, times as ISO 8601 UTC with microseconds.
public enum JobJSON {
    /// `2026-03-29T01:00:00.123456Z`.
    public static func timestamp(_ date: Date) -> String {
        let microseconds = MicrosecondTime.microseconds(date)  // clamped: any Date prints
        let seconds = Int(microseconds.quotient(dividingBy: 1_000_000))
        let fraction = String(microseconds - Int64(seconds) * 1_000_000)
        var text = CronTimeZone.utcISO8601(seconds)
        text.removeLast()  // "Z"
        return text + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    /// A job as a JSON object.
    public static func object(_ job: Job) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(job.id.rawValue), "name": .string(job.name), "queue": .string(job.queue),
            "status": .string(job.status.rawValue), "args": .array(job.args), "kwargs": .object(job.kwargs),
            "timeout": .number(Double(job.timeout)), "created_at": .string(timestamp(job.createdAt)),
            "origin": .string(job.origin), "retries_left": .number(Double(job.retriesLeft)),
            "retry_intervals": .array(job.retryIntervals.map { .number(Double($0)) }),
        ]
        fields["enqueued_at"] = job.enqueuedAt.map { .string(timestamp($0)) } ?? .null
        fields["started_at"] = job.startedAt.map { .string(timestamp($0)) } ?? .null
        fields["ended_at"] = job.endedAt.map { .string(timestamp($0)) } ?? .null
        fields["last_heartbeat"] = job.lastHeartbeat.map { .string(timestamp($0)) } ?? .null
        fields["scheduled_for"] = job.scheduledFor.map { .string(timestamp($0)) } ?? .null
        fields["worker"] = job.worker.map(JSONValue.string) ?? .null
        fields["result"] = job.result ?? .null
        fields["error"] = job.error.map(JSONValue.string) ?? .null
        fields["batch"] = job.batch.map(JSONValue.string) ?? .null
        fields["duration"] = job.duration.map(JSONValue.number) ?? .null
        fields["progress"] =
            job.progress.map { .object(["percent": .number($0.percent), "message": $0.message.map(JSONValue.string) ?? .null]) }
            ?? .null
        return .object(fields)
    }

    /// A job event as the realtime API sends it.
    public static func object(_ event: JobEvent) -> JSONValue {
        .object([
            "cursor": .number(Double(event.cursor)), "job": .string(event.job.rawValue), "queue": .string(event.queue),
            "status": .string(event.status.rawValue), "batch": event.batch.map(JSONValue.string) ?? .null,
            "at": .string(timestamp(event.at)),
            "progress": event.progress.map { .object(["percent": .number($0.percent), "message": $0.message.map(JSONValue.string) ?? .null]) }
                ?? .null,
        ])
    }

    /// The realtime API's name for what an event says: `enqueued`, `started`,
    /// `progress` (a started job's report), `finished`, `failed`, `canceled`, `stopped`,
    /// `scheduled` (a delayed job, or a failed one waiting to be retried), `deferred`.
    public static func type(_ event: JobEvent) -> String {
        switch event.status {
        case .queued: "enqueued"
        case .started where event.progress != nil: "progress"
        default: event.status.rawValue
        }
    }

    /// Queues as ``JobClient/queueOverviews()`` lists them; see ``queue(_:now:)``.
    public static func queues(_ overviews: [QueueOverview], now: Date) -> JSONValue {
        .array(overviews.map { queue($0, now: now) })
    }

    /// A queue: its timeout and `max_queued` (`null` when not configured), the count of
    /// jobs in each status, `paused`, and its oldest queued job's enqueue time
    /// (`oldest_queued_at`) and age at `now` in seconds, to the millisecond
    /// (`latency_seconds`) — both `null` with no job queued.
    public static func queue(_ overview: QueueOverview, now: Date) -> JSONValue {
        var fields: [String: JSONValue] = ["name": .string(overview.name), "paused": .bool(overview.paused)]
        fields["timeout"] = overview.configuration.map { .number(Double($0.timeout)) } ?? .null
        fields["max_queued"] = overview.configuration?.maxQueued.map { .number(Double($0)) } ?? .null
        for status in JobStatus.allCases { fields[status.rawValue] = .number(Double(overview.counts[status] ?? 0)) }
        fields["oldest_queued_at"] = overview.oldestQueuedAt.map { .string(timestamp($0)) } ?? .null
        fields["latency_seconds"] = overview.latency(at: now).map { .number(($0 * 1000).rounded() / 1000) } ?? .null
        return .object(fields)
    }

    /// A worker as a JSON object: its utilization at `now` (busy time / uptime, %), its
    /// current job and how long it has run, its heartbeat's age, and `dead` once that is
    /// past `heartbeat_timeout`.
    public static func object(_ overview: WorkerOverview, now: Date) -> JSONValue {
        let worker = overview.record
        return .object([
            "name": .string(worker.name), "hostname": .string(worker.hostname), "pid": .number(Double(worker.pid)),
            "queues": .array(worker.queues.map(JSONValue.string)), "state": .string(worker.state.rawValue),
            "current_job": worker.currentJob.map { .string($0.rawValue) } ?? .null,
            "current_job_started_at": overview.currentJobStartedAt.map { .string(timestamp($0)) } ?? .null,
            "current_job_elapsed": overview.currentJobStartedAt.map { .number((max(0, now.timeIntervalSince($0)) * 1000).rounded() / 1000) } ?? .null,
            "successful_job_count": .number(Double(worker.successfulJobCount)),
            "failed_job_count": .number(Double(worker.failedJobCount)),
            "total_working_time": .number(worker.totalWorkingTime), "birth": .string(timestamp(worker.birth)),
            "last_heartbeat": .string(timestamp(worker.lastHeartbeat)),
            "heartbeat_age": .number((overview.heartbeatAge(at: now) * 1000).rounded() / 1000),
            "dead": .bool(overview.isDead(at: now)),
            "utilization": .number((worker.utilization(at: now) * 10).rounded() / 10),
        ])
    }
}

extension BinaryInteger {
    /// Floor division.
    func quotient(dividingBy divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
