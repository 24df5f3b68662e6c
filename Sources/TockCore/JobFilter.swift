import Foundation

/// Which jobs a listing (`tock jobs list`, `GET /api/v1/jobs`) or a bulk action
/// (`requeue`/`delete` of many jobs) takes.
///
/// Listings are newest first: by creation time (`created_at`), then by id, both
/// descending. Every criterion left `nil` matches every job. The time range is on the
/// creation time (which never changes, so a job stays in its place in a listing while it
/// runs, fails and is requeued): `since` inclusive, `until` exclusive.
public struct JobFilter: Sendable, Hashable {
    public var status: JobStatus?
    public var queue: String?
    public var batch: String?
    /// Jobs whose name starts with this (`app.mail.` matches `app.mail.send`).
    public var name: String?
    /// Jobs whose origin starts with this (`scheduler:` matches every scheduled fire).
    public var origin: String?
    /// Jobs run (or running) by this worker.
    public var worker: String?
    /// Jobs created at or after this.
    public var since: Date?
    /// Jobs created before this.
    public var until: Date?
    /// Only jobs after this place in the listing's order: the next page.
    public var cursor: JobCursor?
    public var limit: Int

    public init(
        status: JobStatus? = nil, queue: String? = nil, batch: String? = nil, name: String? = nil, origin: String? = nil,
        worker: String? = nil, since: Date? = nil, until: Date? = nil, cursor: JobCursor? = nil, limit: Int = 100
    ) {
        self.status = status
        self.queue = queue
        self.batch = batch
        self.name = name
        self.origin = origin
        self.worker = worker
        self.since = since
        self.until = until
        self.cursor = cursor
        self.limit = limit
    }

    /// True when no criterion is set (the cursor and the limit are not criteria): the
    /// filter takes every job.
    public var matchesEverything: Bool {
        status == nil && queue == nil && batch == nil && name == nil && origin == nil && worker == nil && since == nil
            && until == nil
    }

    /// Whether `job` meets every criterion and lies after the cursor.
    public func matches(_ job: Job) -> Bool {
        if let status, job.status != status { return false }
        if let queue, job.queue != queue { return false }
        if let batch, job.batch != batch { return false }
        if let name, !job.name.hasPrefix(name) { return false }
        if let origin, !job.origin.hasPrefix(origin) { return false }
        if let worker, job.worker != worker { return false }
        let created = MicrosecondTime.microseconds(job.createdAt)
        if let since, created < MicrosecondTime.microseconds(since) { return false }
        if let until, created >= MicrosecondTime.microseconds(until) { return false }
        if let cursor, !cursor.precedes(job) { return false }
        return true
    }

    /// Whether `a` comes before `b` in a listing (newer first).
    public static func listedBefore(_ a: Job, _ b: Job) -> Bool {
        JobCursor(after: a).isListedBefore(JobCursor(after: b))
    }
}

/// A page of a listing: at most `limit` jobs, and where the next page starts.
public struct JobPage: Sendable, Hashable {
    public var jobs: [Job]
    /// `nil` when this is the last page.
    public var nextCursor: JobCursor?

    public init(jobs: [Job], nextCursor: JobCursor?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}

extension JobStore {
    /// One page of the jobs `filter` matches: reads one job more than `filter.limit` to
    /// learn whether another page follows.
    public func page(matching filter: JobFilter) async throws -> JobPage {
        guard filter.limit > 0 else { return JobPage(jobs: [], nextCursor: nil) }
        var probe = filter
        probe.limit = filter.limit == Int.max ? Int.max : filter.limit + 1
        let jobs = try await jobs(matching: probe)
        guard jobs.count > filter.limit else { return JobPage(jobs: jobs, nextCursor: nil) }
        let page = Array(jobs.prefix(filter.limit))
        return JobPage(jobs: page, nextCursor: page.last.map(JobCursor.init(after:)))
    }
}
