import Foundation
import GRDB
import Testing
import TockCore
@testable import TockSQLite

/// The scheduler's lease and state across connections and reopenings, as schedulers in
/// separate processes (an active one and standbys) share them.
@Suite struct SchedulerLeaseTests {
    @Test func schedulersOnTwoConnectionsTakeAnExpiredLeaseOncePerRound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backends = [try SQLiteBackend(path: directory.file()), try SQLiteBackend(path: directory.file())]
        var previous: Int64 = 0
        for round in 0..<50 {
            // Each round starts after the previous round's 10 s lease expired.
            let now = TestJobs.t0 + Double(round) * 100
            let leases = try await withThrowingTaskGroup(of: SchedulerLease?.self) { group in
                for racer in 0..<4 {
                    let backend = backends[racer % 2]
                    group.addTask { try await backend.acquireLease(holder: "scheduler-\(racer)", duration: 10, now: now) }
                }
                var leases: [SchedulerLease] = []
                for try await lease in group { leases += lease.map { [$0] } ?? [] }
                return leases
            }
            try #require(leases.count == 1, "round \(round): \(leases.count) winners")
            let winner = leases[0]
            #expect(winner.token > previous, "round \(round): token \(winner.token) after \(previous)")
            for backend in backends { #expect(try await backend.lease() == winner, "round \(round): stored lease") }
            previous = winner.token
        }
    }

    @Test func stateSurvivesReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let backend = try SQLiteBackend(path: directory.file())
            let lease = try #require(try await backend.acquireLease(holder: "a", duration: 30, now: TestJobs.t0))
            _ = try await backend.recordFire(
                FireRecord(event: "nightly", instant: TestJobs.t0, job: TestJobs.job("nightly-1"), bootID: "boot-a"),
                token: lease.token, maxQueued: [:])
            try await backend.setEventEnabled("hourly", enabled: false)
            try await backend.setPaused(true)
        }
        let reopened = try SQLiteBackend(path: directory.file())
        #expect(try await reopened.lease() == SchedulerLease(holder: "a", token: 1, expiresAt: TestJobs.t0 + 30))
        #expect(
            try await reopened.eventStates() == [
                "nightly": EventState(
                    name: "nightly", lastFire: TestJobs.t0, lastJob: JobID(unchecked: "nightly-1"), bootID: "boot-a"),
                "hourly": EventState(name: "hourly", enabledOverride: false),
            ])
        #expect(try await reopened.isPaused())
        #expect(try await reopened.job(JobID(unchecked: "nightly-1"))?.status == .queued)
    }

    @Test func timesAreStoredToTheMicrosecond() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let now = TestJobs.t0 + 0.000_000_3
        let lease = try #require(try await backend.acquireLease(holder: "a", duration: 1.000_000_4, now: now))
        #expect(StoredTime.microseconds(lease.expiresAt) == StoredTime.microseconds(TestJobs.t0) + 1_000_001)
        #expect(try await backend.lease() == lease)
        // Expired at its expiry to the microsecond, however `now` is rounded.
        #expect(try await backend.acquireLease(holder: "b", duration: 1, now: TestJobs.t0 + 1.000_000_6) != nil)
    }

    @Test func aVersion1FileGainsTheSchedulerTables() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let pool = try DatabasePool(path: directory.file())
            try Schema.migrator.migrate(pool, upTo: "v1: jobs, events, workers, batches")
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO batches VALUES ('b', 'n', 'default', 1, 0, NULL, 0, NULL)")
            }
        }
        let backend = try SQLiteBackend(path: directory.file())
        #expect(try await backend.lease() == nil)
        #expect(try await backend.acquireLease(holder: "a", duration: 30, now: TestJobs.t0)?.token == 1)
        #expect(try await backend.batch("b") != nil)
    }
}
