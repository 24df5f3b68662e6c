import Foundation
import Testing
import TockCore
import TockRedis
import TockSQLite
import TockScheduler
import TockTestSupport

/// Every `catch_up` × `overlap` pair, with and without a previous job still pending, on
/// the default configuration's grace (10 s) and a cap of 5: each due instant ends as a
/// job or as a recorded skip — none disappears.
@Suite struct CatchUpOverlapTests {
    static let t0 = SchedulerHarness.date("2026-06-01T12:00:00Z")

    struct Case: CustomTestStringConvertible, Sendable {
        var catchUp: String
        var overlap: String
        /// A worker finishes every job as soon as it is queued.
        var workerKeepsUp: Bool
        /// Seconds past 12:00:00 of the jobs expected, before and after the downtime.
        var jobs: [Int]
        var lastSkipReason: FireSkip.Reason?
        var testDescription: String { "catch_up: \(catchUp), overlap: \(overlap), \(workerKeepsUp ? "worker keeps up" : "previous job pending")" }
    }

    // An event every 3 s; a scheduler runs 12:00:00–12:00:10 (fires :03, :06, :09), is
    // killed, and a second one starts at 12:00:41: :12–:30 are missed (older than the
    // 10 s grace), :33, :36, :39 are late. 13 instants in all.
    static let cases: [Case] = [
        Case(catchUp: "none", overlap: "skip", workerKeepsUp: true, jobs: [3, 6, 9, 33, 36, 39], lastSkipReason: .missed),
        Case(catchUp: "none", overlap: "allow", workerKeepsUp: true, jobs: [3, 6, 9, 33, 36, 39], lastSkipReason: .missed),
        Case(catchUp: "latest", overlap: "skip", workerKeepsUp: true, jobs: [3, 6, 9, 39], lastSkipReason: .missed),
        Case(catchUp: "latest", overlap: "allow", workerKeepsUp: true, jobs: [3, 6, 9, 39], lastSkipReason: .missed),
        Case(catchUp: "all", overlap: "skip", workerKeepsUp: true, jobs: [3, 6, 9, 18, 21, 24, 27, 30, 33, 36, 39], lastSkipReason: .catchUpCap),
        Case(catchUp: "all", overlap: "allow", workerKeepsUp: true, jobs: [3, 6, 9, 18, 21, 24, 27, 30, 33, 36, 39], lastSkipReason: .catchUpCap),
        // Nobody works: overlap: skip holds back every fire while :03's job waits —
        // except the backlog of catch_up: all, which is not a fire "while a run is pending".
        Case(catchUp: "none", overlap: "skip", workerKeepsUp: false, jobs: [3], lastSkipReason: .overlap),
        Case(catchUp: "none", overlap: "allow", workerKeepsUp: false, jobs: [3, 6, 9, 33, 36, 39], lastSkipReason: .missed),
        Case(catchUp: "latest", overlap: "skip", workerKeepsUp: false, jobs: [3], lastSkipReason: .overlap),
        Case(catchUp: "latest", overlap: "allow", workerKeepsUp: false, jobs: [3, 6, 9, 39], lastSkipReason: .missed),
        Case(catchUp: "all", overlap: "skip", workerKeepsUp: false, jobs: [3, 18, 21, 24, 27, 30, 33, 36, 39], lastSkipReason: .catchUpCap),
        Case(catchUp: "all", overlap: "allow", workerKeepsUp: false, jobs: [3, 6, 9, 18, 21, 24, 27, 30, 33, 36, 39], lastSkipReason: .catchUpCap),
    ]

    @Test(arguments: cases)
    func everyInstantIsAJobOrARecordedSkip(_ test: Case) async throws {
        try await Self.run(test, backend: MemoryBackend())
    }

    @Test(arguments: cases.filter { $0.workerKeepsUp == false || $0.catchUp == "all" })
    func onSQLite(_ test: Case) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-catchup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.run(test, backend: SQLiteBackend(path: directory.appendingPathComponent("tock.db").path))
    }

    static func run(_ test: Case, backend: any TockBackend) async throws {
        let harness = SchedulerHarness(start: t0, backend: backend)
        let plan = SchedulerHarness.events("""
            events:
              every-three:
                job: app.pay
                schedule: "*/3 * * * * *"
                catch_up: \(test.catchUp)
                overlap: \(test.overlap)
            """)
        var task = await harness.start(harness.scheduler(plan, holder: "a"))
        for _ in 0..<20 {
            await harness.clock.run(for: 0.5)
            if test.workerKeepsUp { try await harness.drain() }
        }
        task.cancel()  // killed: the lease is not released
        _ = await task.result
        harness.clock.set(t0.addingTimeInterval(41))
        task = await harness.start(harness.scheduler(plan, holder: "b"))
        task.cancel()
        _ = await task.result

        let jobs = try await harness.jobs()
        let seconds = jobs.map { Int($0.origin.dropFirst("scheduler:every-three@2026-06-01T12:00:".count).dropLast()) ?? -1 }
        #expect(seconds == test.jobs)
        let state = try #require(try await backend.eventStates()["every-three"])
        #expect(jobs.count + state.skippedFires == 13, "instants unaccounted for: \(13 - jobs.count - state.skippedFires)")
        #expect(state.lastSkipReason == test.lastSkipReason)
        #expect(state.lastFire == t0.addingTimeInterval(39))
    }

    /// A scheduler that stalled 8 s (within the grace) enqueues every instant it passed
    /// over in one pass: they are late, not a reason to drop all but one.
    @Test(arguments: ["skip", "allow"])
    func severalLateFiresInOnePassAreAllEnqueued(_ overlap: String) async throws {
        let harness = SchedulerHarness(start: Self.t0)
        let plan = SchedulerHarness.events("""
            events:
              every-three:
                job: app.pay
                schedule: "*/3 * * * * *"
                overlap: \(overlap)
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 4)  // :03
        try await harness.drain()
        harness.clock.advance(by: 8)  // 12:00:12: :06, :09, :12 due in one pass
        await harness.clock.settle()
        task.cancel()
        _ = await task.result
        #expect(try await harness.jobs().map(\.origin).map { $0.suffix(3) } == ["03Z", "06Z", "09Z", "12Z"])
        #expect(try await harness.backend.eventStates()["every-three"]?.skippedFires == 0)
    }

    /// With the previous job still queued, the late instants of one pass are each skipped
    /// for overlap — and counted.
    @Test func lateFiresBehindAPendingJobAreSkippedAndCounted() async throws {
        let harness = SchedulerHarness(start: Self.t0)
        let plan = SchedulerHarness.events("""
            events:
              every-three:
                job: app.pay
                schedule: "*/3 * * * * *"
            """)
        let task = await harness.start(harness.scheduler(plan))
        await harness.clock.run(for: 4)  // :03, left queued
        harness.clock.advance(by: 8)
        await harness.clock.settle()
        task.cancel()
        _ = await task.result
        #expect(try await harness.jobs().count == 1)
        let state = try #require(try await harness.backend.eventStates()["every-three"])
        #expect(state.skippedFires == 3)
        #expect(state.lastSkipReason == .overlap)
        #expect(state.lastSkip == Self.t0.addingTimeInterval(12))
    }
}

@Suite struct StaleLeaderTests {
    /// A leader stalled past its lease while a standby led, fired and released the lease:
    /// when it wakes and takes the lease again it must fire from the backend's state, not
    /// from what it remembered (there, the last job had finished; in the backend, the
    /// standby's newer job is still queued, so `overlap: skip` holds the next fire back).
    @Test(arguments: ["memory", "sqlite", "redis"])
    func aLeaderBackFromAStallReloadsTheState(_ kind: String) async throws {
        let t0 = CatchUpOverlapTests.t0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var server: RedisServer?
        defer { server?.stop() }
        let backend: any TockBackend
        switch kind {
        case "memory": backend = MemoryBackend()
        case "sqlite": backend = try SQLiteBackend(path: directory.appendingPathComponent("tock.db").path)
        default:
            guard RedisServer.isInstalled else { return }
            server = try await RedisServer()
            backend = try await RedisBackend.connect(url: server!.url())
        }
        let harness = SchedulerHarness(start: t0, backend: backend)
        let plan = SchedulerHarness.events("""
            events:
              tens:
                job: app.tens
                schedule: "*/10 * * * * *"
            """)
        let leaderClock = ManualClock(t0)
        let leader = await harness.start(harness.scheduler(plan, holder: "leader", clock: leaderClock), on: leaderClock)
        for _ in 0..<24 {  // both clocks to 12:00:12; :10 fires (job 1)
            leaderClock.advance(by: 0.5)
            harness.clock.advance(by: 0.5)
            await leaderClock.settle()
        }
        try await harness.drain()  // job 1 finishes; the leader then stalls (its clock stops)
        harness.clock.set(t0.addingTimeInterval(27))  // the lease (15 s from :10) has lapsed
        let standby = harness.scheduler(plan, holder: "standby")
        let standbyTask = await harness.start(standby)  // fires :20 (job 2, left queued)
        await harness.clock.run(for: 2)
        standbyTask.cancel()  // shut down cleanly at 12:00:29 would release; cancel, then release by hand
        _ = await standbyTask.result
        try await backend.releaseLease(holder: "standby")
        #expect(try await harness.jobs().map(\.origin).map { $0.suffix(3) } == ["10Z", "20Z"])
        leaderClock.set(t0.addingTimeInterval(33))  // the leader wakes: :20 and :30 look due to it
        await leaderClock.settle()
        await leaderClock.run(for: 2)
        leader.cancel()
        _ = await leader.result
        let jobs = try await harness.jobs()
        #expect(jobs.map(\.origin).map { $0.suffix(3) } == ["10Z", "20Z"], "a second pending job: \(jobs.map(\.origin))")
        let state = try #require(try await backend.eventStates()["tens"])
        #expect(state.lastFire == t0.addingTimeInterval(30))
        #expect(state.lastSkipReason == .overlap)
    }
}
