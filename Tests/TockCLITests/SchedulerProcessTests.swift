import Foundation
import Testing

/// `tock scheduler` as systemd and operators drive it: real processes, a real
/// NOTIFY_SOCKET, real signals, one SQLite file.
@Suite struct SchedulerProcessTests {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }

    private func writeSchedule(_ text: String, name: String = "app.yaml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func startScheduler(_ schedule: String, environment: [String: String] = [:], extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = TockProcess.binary
        process.arguments = ["scheduler", "--schedules", schedule, "--backend", "sqlite:\(database)"] + extra
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The scheduler-made jobs' instants (seconds), from their origins.
    private func firedSeconds() throws -> [Int] {
        let output = try TockProcess.run(["jobs", "--json", "--limit", "100000", "--backend", "sqlite:\(database)"], in: directory)
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        let formatter = ISO8601DateFormatter()
        return jobs.compactMap { job -> Int? in
            guard let origin = job["origin"] as? String, let at = origin.split(separator: "@").last,
                let date = formatter.date(from: String(at))
            else { return nil }
            return Int(date.timeIntervalSince1970)
        }.sorted()
    }

    @Test func tellsSystemdReadyStatusWatchdogReloadAndStopping() throws {
        let socket = try NotifySocket(directory: directory)
        let schedule = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: \"* * * * * *\"\n    overlap: allow\n")
        let scheduler = try startScheduler(schedule, environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000"])
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        let ready = try #require(socket.wait(for: "READY=1", timeout: 20), "no READY=1")
        #expect(ready.last?.contains("STATUS=") == true, "\(ready)")
        // Watchdog pings come from the loop, every half WATCHDOG_USEC.
        var pings = 0
        let until = Date().addingTimeInterval(3)
        while Date() < until, let message = socket.receive(timeout: until.timeIntervalSinceNow) {
            if message.contains("WATCHDOG=1") { pings += 1 }
        }
        #expect(pings >= 3)
        kill(scheduler.processIdentifier, SIGHUP)
        let reloading = try #require(socket.wait(for: "RELOADING=1", timeout: 10), "no RELOADING=1")
        #expect(reloading.last?.contains("MONOTONIC_USEC=") == true)
        #expect(socket.wait(for: "READY=1", timeout: 10) != nil)
        kill(scheduler.processIdentifier, SIGTERM)
        #expect(socket.wait(for: "STOPPING=1", timeout: 10) != nil)
        scheduler.waitUntilExit()
        #expect(scheduler.terminationReason == .exit)
        #expect(scheduler.terminationStatus == 0)
    }

    @Test func aBrokenFileOnReloadKeepsTheOldScheduleFiring() async throws {
        let socket = try NotifySocket(directory: directory)
        let schedule = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: \"* * * * * *\"\n    overlap: allow\n")
        let scheduler = try startScheduler(schedule, environment: ["NOTIFY_SOCKET": socket.path])
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        _ = try #require(socket.wait(for: "READY=1", timeout: 20))
        _ = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: */5 * * * *\n")
        kill(scheduler.processIdentifier, SIGHUP)
        let answer = try #require(socket.wait(for: "READY=1", timeout: 10))
        #expect(answer.last?.contains("reload failed") == true, "\(answer)")
        let before = try firedSeconds().count
        try await Task.sleep(for: .seconds(3))
        #expect(try firedSeconds().count >= before + 2, "the old schedule stopped firing")
        kill(scheduler.processIdentifier, SIGTERM)
        await TockProcess.exit(scheduler)
    }

    /// One event every second, every fire kept: what the kill tests count.
    static let everySecond = """
        events:
          every-second:
            job: app.tick
            schedule: "* * * * * *"
            catch_up: all
            overlap: allow
        """

    @Test func killedAndRestartedForAMinuteEverySecondHasExactlyOneJob() async throws {
        let schedule = try writeSchedule(Self.everySecond)
        let started = Date()
        var generator = SystemRandomNumberGenerator()
        while Date().timeIntervalSince(started) < 60 {
            let scheduler = try startScheduler(schedule, extra: ["--lease-duration", "2s"])
            try await Task.sleep(for: .seconds(Double.random(in: 1.5...6, using: &generator)))
            kill(scheduler.processIdentifier, SIGKILL)
            await TockProcess.exit(scheduler)
            try await Task.sleep(for: .seconds(Double.random(in: 0...2, using: &generator)))
        }
        // A last run catches up what the last kill missed, then stops cleanly.
        let last = try startScheduler(schedule, extra: ["--lease-duration", "2s"])
        try await Task.sleep(for: .seconds(5))
        kill(last.processIdentifier, SIGTERM)
        await TockProcess.exit(last)
        let seconds = try firedSeconds()
        #expect(seconds.count >= 60)
        #expect(Set(seconds).count == seconds.count, "a second fired twice")
        let gaps = zip(seconds, seconds.dropFirst()).filter { $1 - $0 != 1 }
        #expect(gaps.isEmpty, "gaps: \(gaps.prefix(5))")
    }

    @Test func twoSchedulersOneKilledNoDuplicateNoGap() async throws {
        let schedule = try writeSchedule(Self.everySecond)
        let first = try startScheduler(schedule, extra: ["--lease-duration", "3s"])
        let second = try startScheduler(schedule, extra: ["--lease-duration", "3s"])
        defer {
            for process in [first, second] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try await Task.sleep(for: .seconds(30))
        let status = try TockProcess.run(["scheduler", "status", "--json", "--backend", "sqlite:\(database)"], in: directory)
        let leader = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["leader"] as? String)
        let leaderPID = leader.split(separator: ".").dropLast().last.flatMap { Int32($0) }
        let victim = [first, second].first { $0.processIdentifier == leaderPID } ?? first
        kill(victim.processIdentifier, SIGKILL)
        await TockProcess.exit(victim)
        try await Task.sleep(for: .seconds(30))
        let survivor = victim === first ? second : first
        kill(survivor.processIdentifier, SIGTERM)
        await TockProcess.exit(survivor)
        #expect(survivor.terminationStatus == 0)
        let seconds = try firedSeconds()
        #expect(seconds.count >= 55)
        #expect(Set(seconds).count == seconds.count, "a second fired twice")
        let gaps = zip(seconds, seconds.dropFirst()).filter { $1 - $0 != 1 }
        #expect(gaps.isEmpty, "gaps: \(gaps.prefix(5))")
    }
}
