import Foundation
import TockCore
import TockValues

/// Listings with every criterion, cursor pages, and the bulk actions on what a filter
/// matches.
enum ListingChecks {
    /// A job with its origin set.
    private static func job(_ id: String, name: String, queue: String = "default", at time: Date, origin: String) -> Job {
        var job = makeJob(id, name: name, queue: queue, at: time)
        job.origin = origin
        return job
    }

    /// Ids of a listing, for messages.
    private static func ids(_ backend: any TockBackend, _ filter: JobFilter) async throws -> [String] {
        try await backend.jobs(matching: filter).map(\.id.rawValue)
    }

    /// Claims the oldest job of `queue` by `worker` and ends it with `outcome`.
    private static func run(_ backend: any TockBackend, queue: String = "default", worker: String, failing: Bool) async throws {
        guard let job = try await backend.claim(from: [queue], worker: worker, now: t0 + 50) else {
            throw ConformanceFailure("no job to claim on '\(queue)'")
        }
        let outcome: JobOutcome = failing ? .failed("boom", failureTTL: 100_000) : .finished(nil, resultTTL: 100_000)
        _ = try await backend.complete(job.id, worker: worker, outcome: outcome, now: t0 + 50)
    }

    @Sendable static func listingsFilterByEveryCriterion(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue(
            [
                job("a", name: "app.mail.send", at: t0, origin: "scheduler:digest@2027-01-15T08:00:00Z"),
                job("b", name: "app.mail.bounce", at: t0 + 1, origin: "api"),
                job("c", name: "app.report", queue: "long", at: t0 + 2, origin: "cli"),
                job("d", name: "app.mail.send", queue: "long", at: t0 + 3, origin: "scheduler:digest@2027-01-16T08:00:00Z"),
                job("e", name: "app.mail*[x]?", at: t0 + 4, origin: "api[*]?"),
            ], maxQueued: [:])
        try await run(backend, worker: "w1", failing: true)  // a
        try await run(backend, worker: "w2", failing: false)  // b
        try await run(backend, queue: "long", worker: "w1", failing: true)  // c
        try expectEqual(try await ids(backend, JobFilter(name: "app.mail.")), ["d", "b", "a"], "name prefix")
        try expectEqual(try await ids(backend, JobFilter(name: "app.mail.send")), ["d", "a"], "whole name as a prefix")
        try expectEqual(try await ids(backend, JobFilter(name: "app.mail*")), ["e"], "name prefix with glob characters")
        try expectEqual(try await ids(backend, JobFilter(name: "app.mail*[x]?")), ["e"], "name with glob characters")
        try expectEqual(try await ids(backend, JobFilter(name: "zzz")), [], "name prefix matching nothing")
        try expectEqual(try await ids(backend, JobFilter(origin: "scheduler:")), ["d", "a"], "origin prefix")
        try expectEqual(try await ids(backend, JobFilter(origin: "api")), ["e", "b"], "origin prefix")
        try expectEqual(try await ids(backend, JobFilter(origin: "api[*]")), ["e"], "origin prefix with glob characters")
        try expectEqual(try await ids(backend, JobFilter(worker: "w1")), ["c", "a"], "worker")
        try expectEqual(try await ids(backend, JobFilter(status: .failed, worker: "w1")), ["c", "a"], "status and worker")
        try expectEqual(try await ids(backend, JobFilter(status: .failed, queue: "default")), ["a"], "status and queue")
        try expectEqual(try await ids(backend, JobFilter(since: t0 + 1, until: t0 + 4)), ["d", "c", "b"], "since (inclusive) to until (exclusive)")
        try expectEqual(try await ids(backend, JobFilter(until: t0 + 1)), ["a"], "until alone")
        try expectEqual(
            try await ids(backend, JobFilter(status: .queued, queue: "long", name: "app.mail", origin: "scheduler:digest", since: t0 + 3)), ["d"],
            "every criterion at once")
        let cursor = JobCursor(createdAt: MicrosecondTime.microseconds(t0 + 3), id: JobID(unchecked: "d"))
        try expectEqual(try await ids(backend, JobFilter(cursor: cursor)), ["c", "b", "a"], "after a cursor")
        try expectEqual(try await ids(backend, JobFilter(name: "app.mail.", cursor: cursor)), ["b", "a"], "name prefix after a cursor")
        // A prefix of many distinct names (more than SQLite merges name by name).
        let many = (0..<40).map { job("n\($0)", name: "app.many.\($0)", at: t0 + 10 + Double($0), origin: "cli") }
        _ = try await backend.enqueue(many, maxQueued: [:])
        try expectEqual(try await ids(backend, JobFilter(name: "app.many.", limit: 3)), ["n39", "n38", "n37"], "prefix of 40 names")
        try expectEqual(try await ids(backend, JobFilter(name: "app.many.", limit: 100)).count, 40, "every job of 40 names")
        // A cursor survives its text form.
        try expectEqual(try JobCursor(text: cursor.text), cursor, "cursor read back from its text")
    }

    /// Pages of 7 cover every job exactly once, newest first (equal creation times by
    /// id), while new jobs arrive between the pages.
    @Sendable static func cursorPagesCoverEveryJobOnceWhileJobsArrive(_ backend: any TockBackend) async throws {
        // Three jobs per second: ties on the creation time, broken by id.
        let jobs = (0..<45).map { index in makeJob(String(format: "j%02d", (index * 17) % 45), at: t0 + Double(index / 3)) }
        _ = try await backend.enqueue(jobs, maxQueued: [:])
        for _ in 0..<5 { try await run(backend, worker: "w", failing: true) }
        let expected = jobs.sorted(by: JobFilter.listedBefore).map(\.id.rawValue)
        try expectEqual(try await ids(backend, JobFilter(limit: 100)), expected, "one listing, newest first, ties by id")
        var filter = JobFilter(limit: 7)
        var seen: [String] = []
        var pages = 0
        while true {
            let page = try await backend.page(matching: filter)
            seen += page.jobs.map(\.id.rawValue)
            pages += 1
            // Newer jobs, and one as old as the oldest, arrive between pages.
            _ = try await backend.enqueue([makeJob("new\(pages)", at: t0 + 1000 + Double(pages))], maxQueued: [:])
            guard let next = page.nextCursor else { break }
            try expect(page.jobs.count == 7, "a page before the last is full (page \(pages): \(page.jobs.count))")
            try expect(pages < 20, "pagination ends")
            filter.cursor = next
        }
        try expectEqual(seen, expected, "pages in order, each job once")
        try expectEqual(pages, 7, "45 jobs in pages of 7")
        // A page ending exactly at the last job says no more follow.
        let exact = try await backend.page(matching: JobFilter(status: .failed, limit: 5))
        try expectEqual(exact.jobs.count, 5, "the failed jobs")
        try expectEqual(exact.nextCursor, nil, "no cursor after the last page")
    }

    /// Bulk requeue and delete count exactly the jobs they change and leave the others;
    /// more than one chunk is walked.
    @Sendable static func bulkActionsTouchOnlyMatchingJobs(_ backend: any TockBackend) async throws {
        var jobs = (0..<6).map { makeJob("long\($0)", name: "app.slow", queue: "long", at: t0 + Double($0)) }
        jobs += (0..<4).map { makeJob("short\($0)", name: "app.quick", queue: "short", at: t0 + 10 + Double($0)) }
        _ = try await backend.enqueue(jobs, maxQueued: [:])
        for _ in 0..<4 { try await run(backend, queue: "long", worker: "w", failing: true) }  // long0–3 failed
        try await run(backend, queue: "long", worker: "w", failing: false)  // long4 finished
        for _ in 0..<3 { try await run(backend, queue: "short", worker: "w", failing: true) }  // short0–2 failed
        _ = try await backend.claim(from: ["short"], worker: "w", now: t0 + 60)  // short3 started
        // Failed jobs of `long` created since t0+2: long2, long3.
        let requeued = try await backend.requeue(matching: JobFilter(status: .failed, queue: "long", since: t0 + 2), now: t0 + 70)
        try expectEqual(requeued, 2, "requeued count")
        try expectEqual(try await ids(backend, JobFilter(status: .queued)), ["long5", "long3", "long2"], "queued after the requeue")
        try expectEqual(try await ids(backend, JobFilter(status: .failed)), ["short2", "short1", "short0", "long1", "long0"], "still failed")
        try expectEqual(try await backend.requeue(matching: JobFilter(status: .queued), now: t0 + 70), 0, "queued jobs are not requeued")
        // Deleting by name skips the running job.
        try expectEqual(try await backend.delete(matching: JobFilter(name: "app.quick")), 3, "deleted count (the running one kept)")
        try expectEqual(try await ids(backend, JobFilter(name: "app.quick")), ["short3"], "the running job stays")
        try expectEqual(try await backend.job(JobID(unchecked: "long0"))?.status, .failed, "other jobs untouched")
        // More than one chunk.
        let many = (0..<(BulkChunk.size * 2 + 7)).map { makeJob(String(format: "m%05d", $0), name: "app.many", queue: "bulk", at: t0 + 100) }
        _ = try await backend.enqueue(many, maxQueued: [:])
        try expectEqual(try await backend.delete(matching: JobFilter(queue: "bulk")), many.count, "deleted over several chunks")
        try expectEqual(try await ids(backend, JobFilter(queue: "bulk")), [], "none left")
        try expectEqual(try await ids(backend, JobFilter(limit: 100)).count, 7, "the rest untouched")
    }
}
