import Foundation
import GRDB
import Testing
import TockCore
@testable import TockSQLite

/// Two backends on one file: separate pools, so separate connections and locks, as two
/// processes have.
@Suite struct SharedFileTests {
    @Test func concurrentClaimersOnTwoConnectionsTakeEachJobOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backends = [try SQLiteBackend(path: directory.file()), try SQLiteBackend(path: directory.file())]
        let jobs = (0..<500).map { TestJobs.job("job-\($0)", at: TestJobs.t0 + Double($0) / 1000) }
        _ = try await backends[0].enqueue(jobs, maxQueued: [:])
        let claimed = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for claimer in 0..<8 {
                let backend = backends[claimer % 2]
                group.addTask {
                    var mine: [JobID] = []
                    while let job = try await backend.claim(from: ["default"], worker: "w\(claimer)", now: TestJobs.t0 + 5) {
                        #expect(job.worker == "w\(claimer)")
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            var all: [JobID] = []
            for try await mine in group { all += mine }
            return all
        }
        #expect(claimed.count == 500)
        #expect(Set(claimed) == Set(jobs.map(\.id)))
        let counts = try await backends[1].queueCounts()
        #expect(counts["default"] == [.started: 500])
        let events = try await backends[1].events(after: 0, limit: 2000)
        #expect(events.filter { $0.status == .started }.count == 500)
    }

    @Test func claimOrderUsesTheClaimIndex() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        // Rows of EXPLAIN QUERY PLAN: id, parent, notused, detail; the detail is the 4th column.
        let details = try await backend.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE status = 'queued' AND queue = ?
                    ORDER BY COALESCE(enqueued_at, created_at), id LIMIT 1
                    """, arguments: ["default"]
            ).map { row -> String in row[3] }
        }
        #expect(details.contains { $0.contains("jobs_claim") }, "\(details)")
        #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
    }

    @Test func jobsWithoutEnqueueTimeAreClaimedByCreationTime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        var late = TestJobs.job("late", at: TestJobs.t0 + 10)
        late.enqueuedAt = nil
        var early = TestJobs.job("early", at: TestJobs.t0 + 1)
        early.enqueuedAt = nil
        _ = try await backend.enqueue([late, TestJobs.job("middle", at: TestJobs.t0 + 5), early], maxQueued: [:])
        var order: [String] = []
        while let job = try await backend.claim(from: ["default"], worker: "w", now: TestJobs.t0 + 20) {
            order.append(job.id.rawValue)
        }
        #expect(order == ["early", "middle", "late"])
    }
}
