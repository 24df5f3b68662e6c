import Foundation
import GRDB
import Synchronization
import Testing
import TockCore
@testable import TockSQLite

/// A queue's oldest job and the paused queues are read through an index or a small
/// table: `tock queues` and `GET /api/v1/queues` answer as fast with a million jobs queued.
@Suite struct QueueLatencyPlanTests {
    @Test func oldestQueuedReadsTheHeadOfTheClaimIndex() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        _ = try await backend.enqueue(
            (0..<50).map { TestJobs.job("j\($0)", queue: $0 % 2 == 0 ? "short" : "default", at: TestJobs.t0 + Double(50 - $0)) },
            maxQueued: [:])
        let statements = Mutex<[String]>([])
        try await backend.pool.writeWithoutTransaction { db in
            db.trace { event in
                if case .statement(let statement) = event { statements.withLock { $0.append(statement.sql) } }
            }
        }
        // One row per queue, whatever the queue's length: no scan, no sort.
        let oldest = try await backend.oldestQueuedAt(in: ["short", "default", "long"])
        #expect(oldest == ["short": TestJobs.t0 + 2, "default": TestJobs.t0 + 1])
        let reads = try await backend.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT COALESCE(enqueued_at, created_at) FROM jobs WHERE status = 'queued' AND queue = NULL
                    ORDER BY COALESCE(enqueued_at, created_at), id LIMIT 1
                    """
            ).map { row -> String in row[3] }
        }
        #expect(reads.contains { $0.contains("USING INDEX jobs_claim") || $0.contains("USING COVERING INDEX jobs_claim") }, "\(reads)")
        #expect(!reads.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN") }, "\(reads)")
        // The claim reads the paused queues in its own transaction: a table of a few rows.
        _ = try await backend.pauseQueue("short")
        let claimed = try await backend.claim(from: ["short", "default"], worker: "w", now: TestJobs.t0 + 100)
        #expect(claimed?.queue == "default")
        #expect(statements.withLock { $0 }.contains { $0.contains("FROM paused_queues") })
    }
}
