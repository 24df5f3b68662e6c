import Foundation
import Testing
import TockCore
import TockRedis
import TockTestSupport
import TockValues

/// Many hosts, simulated with processes: two `tock scheduler`s and four `tock worker`s
/// share one redis-server (append-only file, fsync always) while the test enqueues a
/// stream of jobs and an event fires every second. On the way redis-server is stopped and
/// started again (the AOF reloaded), and then the leading scheduler and a worker in the
/// middle of a job are SIGKILLed. Afterwards: every second of the run was enqueued exactly
/// once, every job finished — having run once, or twice when it was running on the killed
/// worker (at-least-once) — and nothing is left `started`.
///
/// Every job is a command that appends its id to a file before it sleeps, so how often a
/// job ran is counted outside Tock, and compared with its `started` events and retries.
/// Each process's output is kept in `<name>.log` in the directory the test prints.
@Suite(.serialized) struct RedisManyHostsTests {
    /// The durations of a run, from the processes' start.
    struct Scenario: Sendable {
        /// Until the stream and the scheduler are stopped.
        var run: Duration
        /// When redis-server is stopped (SIGTERM), and how long it stays down before it
        /// starts again on the same port and directory.
        var redisRestartAt: Duration
        var redisDowntime: Duration
        /// When the leading scheduler and a worker running a job are SIGKILLed.
        var killAt: Duration
        /// `heartbeat_timeout`: a worker silent this long is dead, its jobs retried (workers
        /// heartbeat every second and look for such jobs as often).
        var heartbeatTimeout: String
        /// After the run, how long the workers get to end every job.
        var drainLimit: Duration
    }

    // Durations: the whole test takes about 70 s (CI budget: about 2 minutes).
    static let manyHosts = Scenario(
        run: .seconds(66), redisRestartAt: .seconds(20), redisDowntime: .seconds(2), killAt: .seconds(33),
        heartbeatTimeout: "6s", drainLimit: .seconds(30))
    /// A Redis outage longer than a worker's three tries to record a job's end (about 4 s),
    /// shorter than the heartbeat timeout.
    static let longOutage = Scenario(
        run: .seconds(66), redisRestartAt: .seconds(20), redisDowntime: .seconds(8), killAt: .seconds(33),
        heartbeatTimeout: "20s", drainLimit: .seconds(45))
    /// Between two jobs of the stream.
    static let streamInterval: Duration = .milliseconds(300)
    /// The leader lease: the standby takes over at most this long after the leader died.
    static let leaseDuration = "3s"
    /// Every second from this long after the schedulers' start until this long before
    /// their stop must have its job.
    static let startMargin: TimeInterval = 5
    static let endMargin: TimeInterval = 2
    /// Each job's command sleeps this long (seconds) after writing its id down.
    static let jobs = ["app.tick": "0.5", "app.quick": "0.2", "app.slow": "1.5"]
    /// Every job's retries (the declarations' in the schedule file, the stream's here).
    static let retry = RetryPolicy(max: 2, intervals: [1])
    static let workerNames = ["w1", "w2", "w3", "w4"]

    @Test(.enabled(if: RedisServer.isInstalled), .timeLimit(.minutes(5)))
    func twoSchedulersFourWorkersOneRedisWithKillsAndARestart() async throws {
        try await run(Self.manyHosts)
    }

    /// An 8 s outage, longer than a worker used to try recording a job's end (three tries,
    /// about 4 s): the job then stayed `started` for as long as its worker lived, since
    /// recovery took only jobs of workers that stopped heartbeating. Workers now keep trying
    /// for up to `heartbeat_timeout`, and recovery takes any job its worker no longer
    /// heartbeats: every job ends, none runs twice.
    @Test(.enabled(if: RedisServer.isInstalled), .timeLimit(.minutes(5)))
    func aJobEndedDuringALongRedisOutageIsNotLeftStarted() async throws {
        try await run(Self.longOutage)
    }

    func run(_ scenario: Scenario) async throws {
        let directory = try TockProcess.temporaryDirectory()
        print("RedisManyHostsTests: processes' logs in \(directory.path)")
        let runs = directory.appendingPathComponent("runs.txt")
        _ = FileManager.default.createFile(atPath: runs.path, contents: nil)
        let schedule = directory.appendingPathComponent("many-hosts.yaml")
        try Self.scheduleFile(runs: runs).write(to: schedule, atomically: true, encoding: .utf8)
        let server = try await RedisServer(arguments: ["--appendonly", "yes", "--appendfsync", "always"])
        let url = server.urlString()
        let backend = RedisBackend(url: server.url())
        let client = JobClient(backend: backend, configuration: Configuration(backend: url))
        func log(_ name: String) -> URL { directory.appendingPathComponent("\(name).log") }

        let environment = ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": scenario.heartbeatTimeout]
        let start = ContinuousClock.now
        let startedAt = Date()
        let schedulers = try (1...2).map { index in
            try TockProcess.start(
                ["scheduler", "--schedules", schedule.path, "--backend", url, "--lease-duration", Self.leaseDuration],
                in: directory, environment: environment, log: log("scheduler\(index)"))
        }
        let workers = try Self.workerNames.map { name in
            try TockProcess.start(
                ["worker", "--name", name, "--concurrency", "2", "--schedules", schedule.path, "--backend", url],
                in: directory, environment: environment, log: log(name))
        }
        defer {
            for process in schedulers + workers where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let stream = Task { await Self.enqueueStream(client) }

        // Redis goes away and comes back with its append-only file.
        try await Task.sleep(until: start + scenario.redisRestartAt)
        server.stop()
        try await Task.sleep(for: scenario.redisDowntime)
        try await server.start()

        // Halfway: SIGKILL the leader, and a worker in the middle of a job.
        try await Task.sleep(until: start + scenario.killAt)
        let leaderPID = try #require(try await Self.leaderPID(backend), "no scheduler held the lease")
        let leader = try #require(
            schedulers.first { $0.processIdentifier == leaderPID }, "the lease's holder is pid \(leaderPID), no scheduler of this test")
        kill(leader.processIdentifier, SIGKILL)
        await TockProcess.exit(leader)
        let victimName = try #require(try await Self.busyWorker(backend), "no worker was running a job")
        let victim = workers[Self.workerNames.firstIndex(of: victimName)!]
        kill(victim.processIdentifier, SIGKILL)
        await TockProcess.exit(victim)
        #expect(leader.terminationReason == .uncaughtSignal && victim.terminationReason == .uncaughtSignal)
        // A write the victim sent just before it died may still be applied: then read.
        try await Task.sleep(for: .milliseconds(300))
        let orphaned = Set(
            try await backend.jobs(matching: JobFilter(status: .started, limit: 100_000))
                .filter { $0.worker?.hasPrefix("\(victimName).") == true }.map(\.id.rawValue))
        #expect(!orphaned.isEmpty, "\(victimName) was killed between jobs, not in the middle of one")

        // The end of the run: every process not killed is still there.
        try await Task.sleep(until: start + scenario.run)
        let survivor = schedulers.first { $0 !== leader }!
        let survivors = [("the surviving scheduler", survivor)]
            + zip(Self.workerNames, workers).filter { $0.1 !== victim }.map { ("worker \($0.0)", $0.1) }
        for (name, process) in survivors {
            #expect(
                process.isRunning, "\(name) exited (status \(process.terminationStatus)) during the run; see its log in \(directory.path)")
        }
        stream.cancel()
        let streamed = await stream.value
        kill(survivor.processIdentifier, SIGTERM)
        await TockProcess.exit(survivor)
        let stoppedAt = Date()
        #expect(survivor.terminationReason == .exit && survivor.terminationStatus == 0, "the scheduler did not stop cleanly on SIGTERM")

        // The workers end every job (the victim's after its heartbeat timeout and a retry).
        let drainStart = ContinuousClock.now
        var pending: [Job] = []
        while true {
            pending = try await backend.jobs(matching: JobFilter(limit: 100_000)).filter { !$0.status.isTerminal }
            if pending.isEmpty || ContinuousClock.now - drainStart > scenario.drainLimit { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let drained = ContinuousClock.now - drainStart
        let stuck = pending.prefix(10).map { "\($0.id) \($0.status) on \($0.worker ?? "-")" }
        #expect(pending.isEmpty, "not ended \(scenario.drainLimit) after the run: \(stuck)")
        for (_, process) in survivors.dropFirst() where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for (name, process) in survivors.dropFirst() {
            await TockProcess.exit(process)
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(name) did not stop cleanly on SIGTERM")
        }

        let all = try await backend.jobs(matching: JobFilter(limit: 100_000))
        let byID = Dictionary(all.map { ($0.id.rawValue, $0) }) { first, _ in first }
        let events = try await Self.events(backend)
        let startedEvents = Dictionary(grouping: events.filter { $0.status == .started }) { $0.job.rawValue }.mapValues(\.count)
        let finishedEvents = Dictionary(grouping: events.filter { $0.status == .finished }) { $0.job.rawValue }.mapValues(\.count)
        let ran = Dictionary(grouping: try String(contentsOf: runs, encoding: .utf8).split(separator: "\n").map(String.init)) { $0 }
            .mapValues(\.count)

        // Every second enqueued exactly once, none missing.
        let fires = all.filter { $0.origin.hasPrefix("scheduler:") }
        let instants = fires.compactMap(Self.instant)
        #expect(instants.count == fires.count, "fires without an instant in their origin")
        let repeated = Dictionary(grouping: instants) { $0 }.filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "seconds enqueued more than once: \(repeated.prefix(10))")
        let first = Int((startedAt.timeIntervalSince1970 + Self.startMargin).rounded(.up))
        let last = Int((stoppedAt.timeIntervalSince1970 - Self.endMargin).rounded(.down))
        let fired = Set(instants)
        let missing = (first...last).filter { !fired.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) seconds without a job, from \(missing.first.map(String.init) ?? "-")")
        let outside = instants.filter { $0 < Int(startedAt.timeIntervalSince1970) || $0 > Int(stoppedAt.timeIntervalSince1970) }
        #expect(outside.isEmpty, "jobs for seconds outside the run: \(outside.prefix(5))")

        // Every job the stream enqueued is there.
        let lost = streamed.ids.filter { byID[$0] == nil }
        #expect(lost.isEmpty, "stream jobs missing: \(lost.prefix(10))")

        // Every job finished; it ran once, or twice if it was running on the killed worker.
        // One known gap (docs/reliability.md): a claim whose reply was lost to the Redis
        // restart leaves its job started by a worker that does not know it; it is
        // recovered as abandoned and run once, late, using a retry. Such jobs are
        // counted apart (at most the workers' slots can have had a claim in flight).
        var wrong: [String] = []
        var lostClaims: [String] = []
        for id in fires.map(\.id.rawValue) + streamed.ids {
            guard let job = byID[id] else { continue }
            let starts = startedEvents[id] ?? 0
            let runs = ran[id] ?? 0
            let retries = Self.retry.max - job.retriesLeft
            let finishes = finishedEvents[id] ?? 0
            let line = "\(id): \(job.status), \(starts) started and \(finishes) finished event(s), ran \(runs) time(s), \(retries) retry(ies)"
            if finishes != 1 {
                wrong.append(line)
            } else if orphaned.contains(id) {
                // Its command ran once only if the worker died before starting it.
                if job.status != .finished || starts != 2 || retries != 1 || !(1...2).contains(runs) { wrong.append(line + " (orphaned)") }
            } else if job.status == .finished, starts == 2, retries == 1, runs == 1 {
                lostClaims.append(line)
            } else if job.status != .finished || starts != 1 || retries != 0 || runs != 1 {
                wrong.append(line)
            }
        }
        #expect(lostClaims.count <= 8, "more lost claims than slots could have in flight: \(lostClaims.prefix(10))")
        if !lostClaims.isEmpty { print("RedisManyHostsTests: claims lost to the restart (known gap): \(lostClaims)") }
        #expect(wrong.isEmpty, "\(wrong.count) job(s) not run as they should: \(wrong.prefix(10).joined(separator: "; "))")
        let unknownRuns = ran.keys.filter { byID[$0] == nil }
        #expect(unknownRuns.isEmpty, "ran jobs that are not in the backend: \(unknownRuns.prefix(5))")
        let leftStarted = all.filter { $0.status == .started }.map(\.id.rawValue)
        #expect(leftStarted.isEmpty, "left started: \(leftStarted.prefix(10))")

        print(
            "RedisManyHostsTests: \(fires.count) fires (seconds \(first)…\(last) checked), \(streamed.ids.count) stream jobs "
                + "(\(streamed.failures) enqueue attempts failed), killed \(victimName) running \(orphaned.sorted()), "
                + "drained in \(drained.components.seconds) s, \((ContinuousClock.now - start).components.seconds) s in all")
        for name in ["scheduler1", "scheduler2"] + Self.workerNames {
            let text = (try? String(contentsOf: log(name), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n")
            let errors = lines.filter { $0.contains(" error ") || $0.contains(" critical ") }.count
            let warnings = lines.filter { $0.contains(" warning ") }.count
            print("RedisManyHostsTests: \(name).log: \(lines.count) lines, \(errors) errors, \(warnings) warnings")
        }
    }

    /// One event every second, and the commands: each appends its job id to `runs`, then sleeps.
    static func scheduleFile(runs: URL) -> String {
        var text = "jobs:\n"
        for (name, seconds) in jobs.sorted(by: { $0.key < $1.key }) {
            text += """
                  \(name):
                    command: ["/bin/sh", "-c", "echo \\"$TOCK_JOB_ID\\" >> '\(runs.path)'; exec sleep \(seconds)"]
                    retry: {max: \(retry.max), intervals: [\(retry.intervals.map { "\($0)s" }.joined(separator: ", "))]}

                """
        }
        return text + SchedulerProcessTests.everySecond + "\n"
    }

    /// Enqueues quick and slow jobs with known ids until cancelled; an enqueue that fails
    /// (Redis is away) is tried again with the same id. Returns the ids enqueued.
    static func enqueueStream(_ client: JobClient) async -> (ids: [String], failures: Int) {
        var ids: [String] = []
        var failures = 0
        var index = 0
        while !Task.isCancelled {
            index += 1
            let request = EnqueueRequest(
                name: index % 3 == 0 ? "app.slow" : "app.quick", id: "stream-\(index)", retry: retry, origin: "stream")
            while !Task.isCancelled {
                do {
                    _ = try await client.enqueue(request)
                    ids.append("stream-\(index)")
                    break
                } catch {
                    failures += 1
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            try? await Task.sleep(for: streamInterval)
        }
        return (ids, failures)
    }

    /// The pid of the lease's holder (`host.pid.random`) once one holds it.
    static func leaderPID(_ backend: RedisBackend) async throws -> Int32? {
        for _ in 0..<100 {
            if let lease = try await backend.lease(), lease.expiresAt > Date(),
                let pid = lease.holder.split(separator: ".").dropLast().last.flatMap({ Int32($0) })
            {
                return pid
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// A worker (its `--name`) running a job: one that started a slow job less than
    /// 0.8 s ago if one shows within a few seconds, else any busy one.
    static func busyWorker(_ backend: RedisBackend) async throws -> String? {
        var anyBusy: String?
        for _ in 0..<100 {
            for job in try await backend.jobs(matching: JobFilter(status: .started, limit: 100_000)) {
                guard let slot = job.worker, let name = slot.split(separator: ".").first.map(String.init),
                    workerNames.contains(name)
                else { continue }
                if job.name == "app.slow", let started = job.startedAt, Date().timeIntervalSince(started) < 0.8 { return name }
                anyBusy = anyBusy ?? name
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return anyBusy
    }

    /// The whole event log, oldest first.
    static func events(_ backend: RedisBackend) async throws -> [JobEvent] {
        var events: [JobEvent] = []
        while true {
            let page = try await backend.events(after: events.last?.cursor ?? 0, limit: 5000)
            if page.isEmpty { return events }
            events += page
        }
    }

    /// A fire's instant (unix seconds) from its origin, `scheduler:<event>@<instant>`.
    static func instant(_ job: Job) -> Int? {
        guard let text = job.origin.split(separator: "@").last, let date = ISO8601DateFormatter().date(from: String(text)) else { return nil }
        return Int(date.timeIntervalSince1970)
    }
}
