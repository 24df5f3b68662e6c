import Foundation
import Testing

/// `tock scheduler` as systemd and operators drive it: real processes, a real
/// NOTIFY_SOCKET, real signals, one SQLite file.
@Suite final class SchedulerProcessTests {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func writeSchedule(_ text: String, name: String = "app.yaml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func startScheduler(_ schedule: String, environment: [String: String] = [:], extra: [String] = [], log: URL? = nil) throws -> Process {
        let arguments = ["scheduler", "--schedules", schedule, "--backend", "sqlite:\(database)"] + extra
        if let log { return try TockProcess.start(arguments, in: directory, environment: environment, log: log) }
        let process = Process()
        process.executableURL = TockProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The leader's pid, from `tock scheduler status`.
    private func leaderPID() throws -> Int32? {
        let status = try TockProcess.run(["scheduler", "status", "--json", "--backend", "sqlite:\(database)"], in: directory)
        let leader = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["leader"] as? String
        return leader?.split(separator: ".").dropLast().last.flatMap { Int32($0) }
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

    /// SIGHUP reads tock.yaml again with the schedule files: a new queue and an event on
    /// it arrive together, and the queue's settings apply to the fires.
    @Test func reloadReadsTheConfigurationToo() async throws {
        let socket = try NotifySocket(directory: directory)
        let config = directory.appendingPathComponent("tock.yaml")
        try "backend: sqlite:\(database)\n".write(to: config, atomically: true, encoding: .utf8)
        let schedule = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: \"0 0 1 1 *\"\n")
        let process = Process()
        process.executableURL = TockProcess.binary
        process.arguments = ["scheduler", "--schedules", schedule, "--config", config.path]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": socket.path]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        _ = try #require(socket.wait(for: "READY=1", timeout: 20))
        try "backend: sqlite:\(database)\nqueues:\n  reports: {timeout: 2h}\n".write(to: config, atomically: true, encoding: .utf8)
        _ = try writeSchedule("events:\n  report:\n    job: app.report\n    schedule: \"* * * * * *\"\n    queue: reports\n    overlap: allow\n")
        kill(process.processIdentifier, SIGHUP)
        let answer = try #require(socket.wait(for: "READY=1", timeout: 10))
        #expect(answer.last?.contains("reloaded: 1 events") == true, "\(answer)")
        try await Task.sleep(for: .seconds(2.5))
        // A broken tock.yaml, then a changed backend: each refused, the schedule keeps running.
        for broken in ["backend: sqlite:\(database)\nqueues: [oops\n", "backend: sqlite:\(directory.path)/other.db\n"] {
            try broken.write(to: config, atomically: true, encoding: .utf8)
            kill(process.processIdentifier, SIGHUP)
            let refused = try #require(socket.wait(for: "READY=1", timeout: 10))
            #expect(refused.last?.contains("reload failed: 1 error in the configuration or schedule files") == true, "\(refused)")
        }
        kill(process.processIdentifier, SIGTERM)
        await TockProcess.exit(process)
        let jobs = try TockProcess.run(["jobs", "--json", "--backend", "sqlite:\(database)"], in: directory)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(jobs.stdout.utf8)) as? [[String: Any]])
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0["queue"] as? String == "reports" && $0["timeout"] as? Double == 7200 }, "\(rows)")
    }

    /// A schedule error at start: the problem on stderr and exit 78, which the units
    /// name in RestartPreventExitStatus= (no restart loop). `tock events` and `tock
    /// scheduler status` take the same --schedules.
    @Test func aScheduleErrorAtStartExits78AndOtherCommandsReadTheSameFiles() throws {
        let broken = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: \"*/61 * * * *\"\n", name: "broken.yaml")
        let scheduler = try TockProcess.run(["scheduler", "--schedules", broken, "--backend", "sqlite:\(database)"], in: directory)
        #expect(scheduler.status == 78)
        #expect(scheduler.stderr.contains("broken.yaml:4:"), "\(scheduler.stderr)")
        // A worker reads only jobs: — an event's typo is the scheduler's to refuse — but
        // refuses an error in a job it would run.
        let worker = try TockProcess.run(["worker", "--burst", "--schedules", broken, "--backend", "sqlite:\(database)"], in: directory)
        #expect(worker.status == 0, "\(worker.stderr)")
        let brokenJob = try writeSchedule("jobs:\n  app.send:\n    command: /bin/true\n", name: "broken-job.yaml")
        let refused = try TockProcess.run(["worker", "--burst", "--schedules", brokenJob, "--backend", "sqlite:\(database)"], in: directory)
        #expect(refused.status == 78, "\(refused.stderr)")
        for unit in ["tock-scheduler.service", "tock-worker@.service"] {
            let text = try String(contentsOf: TockProcess.packageRoot.appendingPathComponent("units/\(unit)"), encoding: .utf8)
            #expect(text.contains("\nRestartPreventExitStatus=78\n"), "\(unit)")
        }
        let good = try writeSchedule("events:\n  tick:\n    job: app.tick\n    schedule: \"*/5 * * * *\"\n", name: "good.yaml")
        // The refused scheduler made no database; a writing command does.
        #expect(try TockProcess.run(["scheduler", "resume", "--backend", "sqlite:\(database)"], in: directory).status == 0)
        let events = try TockProcess.run(["events", "--schedules", good, "--backend", "sqlite:\(database)"], in: directory)
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("tick"))
        let status = try TockProcess.run(["scheduler", "status", "--schedules", good, "--backend", "sqlite:\(database)"], in: directory)
        #expect(status.stdout.contains("events:  1 in \(good)"), "\(status.stdout)")
        let listing = try TockProcess.run(["events", "--schedules", broken, "--backend", "sqlite:\(database)"], in: directory)
        #expect(listing.status != 0)
        #expect(listing.stderr.contains("tock check \(broken)"), "\(listing.stderr)")
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
        let victim = try #require([first, second].first { $0.processIdentifier == leaderPID }, "the leader \(leader) is neither scheduler")
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

    /// The leader SIGSTOPped for 10 s, past its 3 s lease: the standby takes the lease and
    /// fires on. SIGCONTed, the old leader's writes carry its old fencing token and are
    /// refused: it stands by. Every second is enqueued once, none missed.
    @Test func aLeaderStoppedPastItsLeaseIsFencedNoDuplicateNoGap() async throws {
        let schedule = try writeSchedule(Self.everySecond)
        let logs = ["a", "b"].map { directory.appendingPathComponent("scheduler-\($0).log") }
        let first = try startScheduler(schedule, extra: ["--lease-duration", "3s"], log: logs[0])
        let second = try startScheduler(schedule, extra: ["--lease-duration", "3s"], log: logs[1])
        defer {
            for process in [first, second] where process.isRunning {
                kill(process.processIdentifier, SIGCONT)
                kill(process.processIdentifier, SIGKILL)
            }
        }
        try await Task.sleep(for: .seconds(10))
        let leader = try leaderPID()
        let victim = try #require([first, second].first { $0.processIdentifier == leader }, "the leader \(leader ?? -1) is neither scheduler")
        let standby = victim === first ? second : first
        kill(victim.processIdentifier, SIGSTOP)
        try await Task.sleep(for: .seconds(10))
        #expect(try leaderPID() == standby.processIdentifier, "the standby did not take the lease")
        kill(victim.processIdentifier, SIGCONT)
        try await Task.sleep(for: .seconds(10))
        #expect(victim.isRunning && standby.isRunning, "a scheduler exited after the stall")
        #expect(try leaderPID() == standby.processIdentifier, "the stalled leader took the lease back")
        // Back, the old leader finds the lease gone (its renewal or its fires refused).
        let victimLog = (try? String(contentsOf: logs[victim === first ? 0 : 1], encoding: .utf8)) ?? ""
        #expect(victimLog.contains("lost the lead") || victimLog.contains("lost the leader lease"), "\(victimLog)")
        for process in [first, second] { kill(process.processIdentifier, SIGTERM) }
        for process in [first, second] { await TockProcess.exit(process) }
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let seconds = try firedSeconds()
        #expect(seconds.count >= 27, "\(seconds.count) seconds fired in 30 s")
        #expect(Set(seconds).count == seconds.count, "a second fired twice")
        let gaps = zip(seconds, seconds.dropFirst()).filter { $1 - $0 != 1 }
        let log = logs.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n---\n")
        #expect(gaps.isEmpty, "gaps: \(gaps.prefix(5))\n\(log)")
    }

    /// Every `catch_up` × `overlap` pair, through real processes: a scheduler fires for
    /// 6 s, is SIGKILLed, stays down 16 s (longer than the 10 s grace: some instants are
    /// missed, some late), and a second one runs 5 s; a worker runs every job. Each
    /// event's instants from its first fire to its last are each a job or a counted skip.
    @Test func everyCatchUpOverlapPairAccountsForEveryInstantAcrossAKill() async throws {
        var yaml = "events:\n"
        let pairs = ["none", "latest", "all"].flatMap { catchUp in ["skip", "allow"].map { (catchUp, $0) } }
        for (catchUp, overlap) in pairs {
            yaml += "  \(catchUp)-\(overlap):\n    job: tock.sleep\n    args: [0]\n    schedule: \"*/2 * * * * *\"\n"
            yaml += "    catch_up: \(catchUp)\n    overlap: \(overlap)\n"
        }
        let schedule = try writeSchedule(yaml)
        let worker = try TockProcess.start(
            ["worker", "--concurrency", "4", "--backend", "sqlite:\(database)"], in: directory,
            log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let first = try startScheduler(schedule, extra: ["--lease-duration", "2s"])
        try await Task.sleep(for: .seconds(6))
        kill(first.processIdentifier, SIGKILL)
        await TockProcess.exit(first)
        try await Task.sleep(for: .seconds(16))
        let second = try startScheduler(schedule, extra: ["--lease-duration", "2s"])
        try await Task.sleep(for: .seconds(5))
        kill(second.processIdentifier, SIGTERM)
        await TockProcess.exit(second)
        kill(worker.processIdentifier, SIGTERM)
        await TockProcess.exit(worker)

        let output = try TockProcess.run(
            ["events", "--json", "--schedules", schedule, "--backend", "sqlite:\(database)"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        let jobs = try TockProcess.run(["jobs", "--json", "--limit", "100000", "--backend", "sqlite:\(database)"], in: directory)
        let origins = try #require(try JSONSerialization.jsonObject(with: Data(jobs.stdout.utf8)) as? [[String: Any]])
            .compactMap { $0["origin"] as? String }
        let formatter = ISO8601DateFormatter()
        for (catchUp, overlap) in pairs {
            let name = "\(catchUp)-\(overlap)"
            let event = try #require(events.first { $0["event"] as? String == name })
            let fired = origins.filter { $0.hasPrefix("scheduler:\(name)@") }.compactMap {
                formatter.date(from: String($0.split(separator: "@")[1])).map { Int($0.timeIntervalSince1970) }
            }.sorted()
            let last = try #require((event["last_fire"] as? String).flatMap(formatter.date(from:)), "\(name): no last fire")
            let firstFire = try #require(fired.first, "\(name): no job")
            let instants = (Int(last.timeIntervalSince1970) - firstFire) / 2 + 1
            let skipped = event["skipped_fires"] as? Int ?? -1
            #expect(fired.count + skipped == instants, "\(name): \(fired.count) jobs + \(skipped) skipped of \(instants) instants")
            switch catchUp {
            case "all": #expect(overlap == "skip" || skipped == 0, "\(name): \(skipped) skipped")
            default: #expect(skipped >= 2, "\(name): the downtime's missed instants were not skipped: \(skipped)")
            }
        }
    }
}
