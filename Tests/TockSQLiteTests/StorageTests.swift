import Foundation
import GRDB
import Testing
import TockCore
import TockValues
@testable import TockSQLite

@Suite struct StorageTests {
    @Test func everyFieldRoundTrips() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let job = Job(
            id: JobID(unchecked: "full"), name: "app.tasks.everything",
            args: [1, 2.5, -0.125, 1e300, "quote \" backslash \\ newline \n tab \t bell \u{07} é 🎉", nil, true, [[]], [:]],
            kwargs: ["nested": ["a": [1, ["b": false]]], "empty": "", "big": 9_007_199_254_740_993],
            queue: "long", timeout: 1500, status: .scheduled, createdAt: TestJobs.t0, enqueuedAt: nil,
            startedAt: TestJobs.t0 + 1, endedAt: TestJobs.t0 + 2, lastHeartbeat: TestJobs.t0 + 3, worker: "host.1.1",
            result: .null, error: "boom", retriesLeft: 2, retryIntervals: [10, 60, 300],
            progress: JobProgress(percent: 12.5, message: "step \"2\""), batch: "b1", origin: "scheduler:nightly@2027",
            scheduledFor: TestJobs.t0 + 4, stopRequested: true, expiresAt: TestJobs.t0 + 5)
        _ = try await backend.enqueue([job], maxQueued: [:])
        #expect(try await backend.job(job.id) == job)
        var noResult = job
        noResult.id = JobID(unchecked: "no-result")
        noResult.result = nil
        noResult.progress = JobProgress(percent: 100)
        _ = try await backend.enqueue([noResult], maxQueued: [:])
        #expect(try await backend.job(noResult.id) == noResult)
    }

    @Test func timesAreMicrosecondsAndReturnedJobsEqualStoredOnes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let now = Date()  // finer than a microsecond
        let outcome = try await backend.enqueue([TestJobs.job("now", at: now)], maxQueued: [:])[0]
        #expect(StoredTime.microseconds(outcome.job.createdAt) == StoredTime.microseconds(now))
        #expect(try await backend.job(outcome.job.id) == outcome.job)
        let claimed = try #require(try await backend.claim(from: ["default"], worker: "w", now: now + 0.123_456_789))
        #expect(try await backend.job(claimed.id) == claimed)
        let ended = try #require(
            try await backend.complete(claimed.id, worker: "w", outcome: .finished(nil, resultTTL: 600), now: now + 1.000_000_3))
        #expect(try await backend.job(claimed.id) == ended)
        #expect(StoredTime.microseconds(ended.expiresAt!) - StoredTime.microseconds(ended.endedAt!) == 600_000_000)
    }

    @Test func storedTimeRoundTripsMicroseconds() {
        for microseconds: Int64 in [0, 1, -1, 1_800_000_000_123_457, 4_102_444_800_999_999, -62_135_596_800_000_000] {
            #expect(StoredTime.microseconds(StoredTime.date(microseconds)) == microseconds)
        }
        #expect(StoredTime.microseconds(.distantFuture) > 0)
        #expect(StoredTime.microseconds(Date(timeIntervalSince1970: .infinity)) == .max)
    }


    @Test func anUnreadableRowIsReportedWithItsPlace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        _ = try await backend.enqueue([TestJobs.job("damaged")], maxQueued: [:])
        try await backend.pool.write { db in try db.execute(sql: "UPDATE jobs SET args = 'not json' WHERE id = 'damaged'") }
        // Read as far as it goes, with the place and what is wrong as its error (a claim fails it).
        let job = try #require(try await backend.job(JobID(unchecked: "damaged")))
        #expect(job.error == "job 'damaged' has an unreadable args: not JSON (a value was expected at byte 0 of not json)")
    }

    @Test func purgeKeepsTheNewestEventsAndDropsOldOnes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(
            path: directory.file(), options: SQLiteBackend.Options(eventsKept: 5, eventMaximumAge: 3600))
        _ = try await backend.enqueue((0..<8).map { TestJobs.job("j\($0)") }, maxQueued: [:])
        _ = try await backend.purgeExpired(now: TestJobs.t0 + 60)
        #expect(try await backend.events(after: 0, limit: 100).map(\.job.rawValue) == ["j3", "j4", "j5", "j6", "j7"])
        _ = try await backend.purgeExpired(now: TestJobs.t0 + 3601)
        #expect(try await backend.events(after: 0, limit: 100).map(\.cursor) == [8], "the newest event is kept")
        _ = try await backend.enqueue([TestJobs.job("after")], maxQueued: [:])
        #expect(try await backend.events(after: 0, limit: 100).map(\.cursor) == [8, 9], "cursors are never reused")
    }

    @Test func createBatchIsAllOrNothingWhenAChunkIdIsTaken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        _ = try await backend.enqueue([TestJobs.job("b-2")], maxQueued: [:])
        let batch = Batch(id: "b", name: "app.tasks.work", queue: "default", total: 2, createdAt: TestJobs.t0)
        await #expect(throws: TockError.invalidArgument("batch 'b' collides with existing jobs")) {
            try await backend.createBatch(batch, chunks: [TestJobs.job("b-1"), TestJobs.job("b-2")], maxQueued: [:])
        }
        #expect(try await backend.job(JobID(unchecked: "b-1")) == nil)
        #expect(try await backend.batch("b") == nil)
    }
}

@Suite struct CountTests {
    /// The `job_counts` the triggers keep, against a count of the jobs themselves.
    @Test func triggerKeptCountsMatchTheJobs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let t0 = TestJobs.t0
        _ = try await backend.enqueue((0..<6).map { TestJobs.job("j\($0)", queue: $0 < 4 ? "default" : "short") }, maxQueued: [:])
        _ = try await backend.enqueue([TestJobs.job("j0"), TestJobs.job("j1")], maxQueued: [:])  // existing: no change
        let first = try #require(try await backend.claim(from: ["default"], worker: "w", now: t0))
        _ = try await backend.complete(first.id, worker: "w", outcome: .finished(nil, resultTTL: 1), now: t0)
        let second = try #require(try await backend.claim(from: ["short"], worker: "w", now: t0))
        _ = try await backend.complete(second.id, worker: "w", outcome: .failed("x", failureTTL: 1), now: t0)
        _ = try await backend.claim(from: ["default"], worker: "w", now: t0)
        _ = try await backend.cancel(JobID(unchecked: "j3"), now: t0, failureTTL: 100)
        _ = try await backend.delete(JobID(unchecked: "j5"))
        _ = try await backend.requeueFailed(now: t0)
        _ = try await backend.purgeExpired(now: t0 + 2)
        let counts = try await backend.queueCounts()
        let counted = try await backend.pool.read { db in
            var counts: [String: [JobStatus: Int]] = [:]
            for job in try Row.fetchAll(db, sql: "SELECT queue, status FROM jobs") {
                counts[job[0], default: [:]][JobStatus(rawValue: job[1])!, default: 0] += 1
            }
            return counts
        }
        #expect(counts == counted)
        #expect(counts == ["default": [.queued: 1, .started: 1, .canceled: 1], "short": [.queued: 1]])
    }
}
