import Foundation
import Testing
import TockTestSupport

/// A worker stopped (SIGSTOP) past `heartbeat_timeout` has its job declared abandoned and
/// run again by another worker; continued (SIGCONT), it ends its run late. That late end
/// must be refused and logged, and change nothing: the job's status, result, ended_at and
/// worker, and the workers' counts, stay the re-run's. Real `tock worker` processes, on
/// SQLite and on a real redis-server.
@Suite(.serialized) struct StalledWorkerTests {
    enum Store: String, CaseIterable, Sendable { case sqlite, redis }

    enum Scenario: String, CaseIterable, Sendable {
        /// SIGCONT while the re-run still runs on the other worker.
        case reRunStillRunning
        /// SIGCONT after the re-run finished.
        case reRunFinished
        /// The re-run is on a worker of the same name (`--name` given twice): only the
        /// claim's token (its `started_at`) tells the two runs apart.
        case reRunBySameName
    }

    static let fast = ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": "3s"]

    @Test(arguments: Store.allCases, Scenario.allCases)
    func aStalledWorkersLateEndIsRefused(_ store: Store, _ scenario: Scenario) async throws {
        let redis: RedisServer? = store == .redis && RedisServer.isInstalled ? try await RedisServer() : nil
        if store == .redis, redis == nil { return }
        let harness = try FaultHarness { directory in
            redis?.urlString() ?? "sqlite:\(directory.appendingPathComponent("tock.db").path)"
        }
        // Each run prints who ran it: the stalled worker's run and the re-run differ. The
        // re-run is longer, so that it still runs when the stalled worker is continued.
        // (Command jobs get only their declaration's environment: one file per worker.)
        func declaration(_ runBy: String, seconds: Int) throws -> URL {
            let file = harness.directory.appendingPathComponent("jobs-\(runBy).yaml")
            try """
                jobs:
                  app.slow:
                    command: ["/bin/sh", "-c", "sleep \\"$RUN_FOR\\"; echo \\"$RUN_BY\\""]
                    environment: {RUN_BY: \(runBy), RUN_FOR: "\(seconds)"}
                """.write(to: file, atomically: true, encoding: .utf8)
            return file
        }
        let firstJobs = try declaration("first", seconds: 3)
        let secondJobs = try declaration("second", seconds: 6)
        let enqueued = try harness.tock(["enqueue", "app.slow", "--id", "stall", "--retry", "1", "--retry-intervals", "1s"])
        try #require(enqueued.status == 0, "\(enqueued.stderr)")

        let stalledName = "stalled"
        let rescuerName = scenario == .reRunBySameName ? "stalled" : "rescuer"
        let stalled = try harness.startWorker(
            stalledName, arguments: ["--schedules", firstJobs.path], environment: Self.fast)
        try #require(try await harness.wait(seconds: 20) { try harness.job("stall")["status"] as? String == "started" })
        let firstStart = try harness.job("stall")["started_at"] as? String
        kill(stalled.processIdentifier, SIGSTOP)

        // The rescuer declares the job abandoned (3 s without a heartbeat), retries it 1 s
        // later and runs it again.
        _ = try harness.startWorker(
            rescuerName, log: "rescuer", arguments: ["--schedules", secondJobs.path], environment: Self.fast)
        let reRunStarted = try await harness.wait(seconds: 25) {
            let job = try harness.job("stall")
            return job["status"] as? String == "started" && job["started_at"] as? String != firstStart
        }
        try #require(reRunStarted, "the job was not run again: \((try? harness.job("stall")) ?? [:]); \(harness.logText("rescuer"))")
        let reRun = try harness.job("stall")
        #expect(reRun["worker"] as? String == "\(rescuerName).1")

        if scenario == .reRunFinished {
            try #require(try await harness.wait(seconds: 15) { try harness.job("stall")["status"] as? String == "finished" })
        }
        let before = try harness.job("stall")
        kill(stalled.processIdentifier, SIGCONT)
        let refused = await harness.wait(seconds: 15) { harness.logText(stalledName).contains("late end of job stall") }
        #expect(refused, "the stalled worker logged no refusal:\n\(harness.logText(stalledName))")
        let line = harness.logText(stalledName).split(separator: "\n").first { $0.contains("late end of job stall") } ?? ""
        #expect(line.contains("refused") && line.contains("app.slow"), "\(line)")
        switch scenario {
        case .reRunStillRunning: #expect(line.contains("now run by rescuer.1"), "\(line)")
        case .reRunFinished: #expect(line.contains("now finished"), "\(line)")
        case .reRunBySameName: #expect(line.contains("a later run"), "\(line)")
        }

        // The late end changed nothing: the re-run still runs (or stays finished) and its
        // own end is what the job keeps.
        let afterLateEnd = try harness.job("stall")
        #expect(afterLateEnd["status"] as? String == before["status"] as? String)
        #expect(afterLateEnd["started_at"] as? String == before["started_at"] as? String)
        #expect(afterLateEnd["ended_at"] as? String == before["ended_at"] as? String)
        #expect(afterLateEnd["worker"] as? String == "\(rescuerName).1")
        try #require(try await harness.wait(seconds: 15) { try harness.job("stall")["status"] as? String == "finished" })
        let final = try harness.job("stall")
        #expect(final["result"] as? String == "second", "the job's result: \(final)")
        #expect(final["worker"] as? String == "\(rescuerName).1")
        if scenario == .reRunFinished { #expect(final["ended_at"] as? String == before["ended_at"] as? String) }

        if scenario != .reRunBySameName {
            // Counted once, by the worker whose end was recorded. The stalled worker's
            // record was deleted with its job's recovery and comes back with its next beat.
            let counted = try await harness.wait(seconds: 10) { try harness.workers()["stalled.1"] != nil }
            #expect(counted, "the stalled worker's record did not come back")
            try await Task.sleep(for: .seconds(2))  // its beats after the refused end
            let workers = try harness.workers()
            #expect(workers["stalled.1"]?["successful_job_count"] as? Int == 0, "\(workers["stalled.1"] ?? [:])")
            #expect(workers["stalled.1"]?["failed_job_count"] as? Int == 0, "\(workers["stalled.1"] ?? [:])")
            #expect(workers["rescuer.1"]?["successful_job_count"] as? Int == 1, "\(workers["rescuer.1"] ?? [:])")
        }
    }
}
