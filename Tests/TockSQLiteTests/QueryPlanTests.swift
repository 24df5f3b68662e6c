import Foundation
import GRDB
import Synchronization
import Testing
import TockCore
@testable import TockSQLite

/// Every statement the backend's writes run finds its jobs through an index: no write
/// transaction (which holds the lock every worker waits for) scans the `jobs` table.
@Suite struct QueryPlanTests {
    @Test func writesNeverScanTheJobsTable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let statements = Mutex<Set<String>>([])
        try await backend.pool.writeWithoutTransaction { db in
            db.trace { event in
                if case .statement(let statement) = event { statements.withLock { _ = $0.insert(statement.sql) } }
            }
        }
        try await runEveryWrite(backend)
        let written = statements.withLock { $0 }.filter { sql in
            ["SELECT", "UPDATE", "DELETE", "INSERT"].contains { sql.uppercased().hasPrefix($0) } && !sql.contains("grdb_")
        }
        #expect(written.count > 15)
        for sql in written {
            // Parameters as NULL: the plan does not depend on their values.
            let unbound = sql.replacing(/\?[0-9]*/, with: "NULL")
            let plan = try await backend.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(unbound)").map { row -> String in row[3] }
            }
            #expect(!plan.contains(where: Self.scansJobs), "\(sql)\n\(plan)")
        }
    }

    /// A page of a listing by status, queue and status, name, cursor or time range walks
    /// an index in listing order (newest first) and stops after `limit` entries: no sort
    /// of every match, no scan.
    @Test func listingsWalkAnIndexInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let cursor = JobCursor(createdAt: 1, id: JobID(unchecked: "x"))
        let cases: [(JobFilter, String)] = [
            (JobFilter(), "jobs_listing"),
            (JobFilter(cursor: cursor), "jobs_listing"),
            (JobFilter(since: TestJobs.t0, until: TestJobs.t0 + 60), "jobs_listing"),
            (JobFilter(status: .failed), "jobs_status_listing"),
            (JobFilter(status: .finished, cursor: cursor), "jobs_status_listing"),
            (JobFilter(status: .failed, queue: "long"), "jobs_queue_listing"),
            (JobFilter(status: .queued, queue: "long", cursor: cursor), "jobs_queue_listing"),
            (JobFilter(status: .failed, origin: "scheduler:", worker: "w"), "jobs_status_listing"),
        ]
        for (filter, index) in cases {
            for exactName in [nil, "app.tasks.work"] as [String?] {
                let (selection, _) = JobTables.selection(filter, exactName: exactName)
                let sql = "SELECT id FROM jobs \(selection) ORDER BY created_at DESC, id DESC LIMIT 50"
                let unbound = sql.replacing(/\?[0-9]*/, with: "NULL")
                let plan = try await backend.pool.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(unbound)").map { row -> String in row[3] }
                }
                // With a name too, either index walks in order.
                let usable = exactName == nil ? [index] : filter.status == nil ? ["jobs_name_listing"] : [index, "jobs_name_listing"]
                #expect(plan.contains { step in usable.contains { step.contains("INDEX \($0)") } }, "\(sql): \(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql): \(plan)")
            }
        }
        // Each distinct name of a prefix is found by one seek in the name index.
        for seek in ["SELECT name FROM jobs WHERE name >= NULL ORDER BY name LIMIT 1", "SELECT name FROM jobs WHERE name > NULL ORDER BY name LIMIT 1"] {
            let plan = try await backend.pool.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(seek)").map { row -> String in row[3] } }
            #expect(plan == ["SEARCH jobs USING COVERING INDEX jobs_name_listing (name>?)"], "\(seek): \(plan)")
        }
    }

    @Test func listingsAreNewestFirstWithTiesById() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let jobs = (0..<30).map { TestJobs.job("j\($0)", queue: $0 % 2 == 0 ? "short" : "default", at: TestJobs.t0 + Double($0 % 7)) }
        _ = try await backend.enqueue(jobs, maxQueued: [:])
        let expected = jobs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
        #expect(try await backend.jobs(matching: JobFilter(status: .queued, limit: 10)).map(\.id) == Array(expected.prefix(10)))
        #expect(try await backend.jobs(matching: JobFilter(limit: 10)).map(\.id) == Array(expected.prefix(10)))
        let short = expected.filter { Int($0.rawValue.dropFirst())! % 2 == 0 }
        #expect(try await backend.jobs(matching: JobFilter(status: .queued, queue: "short", limit: 100)).map(\.id) == short)
    }

    /// `SCAN jobs` (`SCAN TABLE jobs` before SQLite 3.36), with or without an index: every
    /// job read — unless the index is a partial one, which holds only the jobs of one status.
    private static func scansJobs(_ detail: String) -> Bool {
        let partial = ["jobs_claim", "jobs_due", "jobs_running", "jobs_failed"]
        return (detail.hasPrefix("SCAN jobs") || detail.hasPrefix("SCAN TABLE jobs"))
            && !partial.contains { detail.contains("INDEX \($0)") }
    }

    /// One of each write, on a small database.
    private func runEveryWrite(_ backend: SQLiteBackend) async throws {
        let t0 = TestJobs.t0
        var retried = TestJobs.job("retried")
        retried.retriesLeft = 1
        var later = TestJobs.job("later")
        later.status = .scheduled
        later.enqueuedAt = nil
        later.scheduledFor = t0 + 60
        _ = try await backend.enqueue([TestJobs.job("a"), TestJobs.job("b"), retried, later, TestJobs.job("c")], maxQueued: ["default": 100])
        let batch = Batch(id: "b1", name: "app.tasks.work", queue: "default", total: 1, createdAt: t0, onComplete: "app.done")
        var chunk = TestJobs.job("b1-1")
        chunk.batch = "b1"
        try await backend.createBatch(batch, chunks: [chunk], maxQueued: ["default": 100])
        let worker = WorkerRecord(name: "w", hostname: "h", pid: 1, queues: ["default"], birth: t0, lastHeartbeat: t0)
        _ = try await backend.heartbeat(worker, runningJobs: [], now: t0)
        for _ in 0..<4 {
            guard let job = try await backend.claim(from: ["short", "default"], worker: "w", now: t0) else { break }
            try await backend.reportProgress(job.id, progress: JobProgress(percent: 50), now: t0)
            _ = try await backend.complete(job.id, worker: "w", outcome: job.id.rawValue == "a" ? .finished(nil, resultTTL: 1) : .failed("x", failureTTL: 10), now: t0)
        }
        _ = try await backend.claim(from: ["default"], worker: "w", now: t0)
        _ = try await backend.heartbeat(worker, runningJobs: [JobID(unchecked: "c")], now: t0 + 1)
        _ = try await backend.requestStop(JobID(unchecked: "c"), now: t0 + 1)
        _ = try await backend.promoteDueJobs(now: t0 + 100)
        _ = try await backend.cancel(JobID(unchecked: "later"), now: t0 + 100, failureTTL: 10)
        _ = try await backend.requeue(JobID(unchecked: "later"), now: t0 + 100)
        _ = try await backend.requeueFailed(now: t0 + 100)
        _ = try await backend.requeue(matching: JobFilter(status: .failed, queue: "default"), now: t0 + 100)
        _ = try await backend.delete(matching: JobFilter(status: .canceled))
        _ = try await backend.recoverAbandonedJobs(now: t0 + 1000, heartbeatTimeout: 30, failureTTL: 10)
        _ = try await backend.purgeExpired(now: t0 + 5000)
        _ = try await backend.delete(JobID(unchecked: "b"))
        try await backend.unregisterWorker("w")
    }
}
