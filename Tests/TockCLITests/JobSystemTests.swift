import Foundation
import Testing

/// The job system as a user drives it: real `tock` processes on one SQLite file.
@Suite(.serialized) final class JobSystemTests: ScratchDatabase {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }



    /// With docs/jobs.md's sample `pools:` (no `default` among them), the built-in
    /// default pool is still there: a bare worker serves short, default and long, and
    /// `--pool web` only web's queues.
    @Test func declaredPoolsKeepTheDefaultPool() throws {
        let config = directory.appendingPathComponent("tock.yaml")
        try "pools:\n  web: {queues: [short, default], concurrency: 4}\n  batch: {queues: [long], concurrency: 1}\n"
            .write(to: config, atomically: true, encoding: .utf8)
        for id in ["on-long", "on-short"] {
            let queue = id == "on-long" ? "long" : "short"
            #expect(try tock(["enqueue", "tock.noop", "--queue", queue, "--id", id, "--config", config.path]).status == 0)
        }
        let web = try tock(["worker", "--burst", "--pool", "web", "--config", config.path])
        #expect(web.status == 0, "\(web.stderr)")
        #expect(try jobJSON("on-short")["status"] as? String == "finished")
        #expect(try jobJSON("on-long")["status"] as? String == "queued")
        let bare = try tock(["worker", "--burst", "--config", config.path])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(try jobJSON("on-long")["status"] as? String == "finished")
        let named = try tock(["worker", "--burst", "--pool", "default", "--config", config.path])
        #expect(named.status == 0, "\(named.stderr)")
    }

    /// Warm shutdown while a job runs: the job finishes, and ending it claims no next job
    /// (the end and the next claim are one write while the worker is taking jobs); the
    /// others stay queued, untouched, for another worker.
    @Test func aWarmShutdownFinishesTheRunningJobAndTakesNoOther() async throws {
        for id in ["first", "second", "third"] { _ = try tock(["enqueue", "tock.sleep", "--args", "[1]", "--id", id]) }
        let worker = try TockProcess.start(
            ["worker", "--backend", "sqlite:\(database)"], in: directory, log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(20)
        while try jobJSON("first")["status"] as? String != "started", Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(30)))
        #expect(worker.terminationStatus == 0)
        let log = (try? String(contentsOf: directory.appendingPathComponent("worker.log"), encoding: .utf8)) ?? ""
        #expect(try jobJSON("first")["status"] as? String == "finished", "\(log)")
        #expect(try jobJSON("second")["status"] as? String == "queued", "\(log)")
        #expect(try jobJSON("third")["status"] as? String == "queued")
        let second = try jobJSON("second")
        #expect(second["worker"] == nil || second["worker"] is NSNull, "\(second)")
    }

    @Test func enqueueRunAndShow() throws {
        let enqueued = try tock(["enqueue", "tock.sleep", "--args", "[0.2]", "--kwargs", #"{"region": "eu"}"#, "--id", "nightly-1"])
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        #expect(enqueued.stdout == "nightly-1\n")
        let again = try tock(["enqueue", "tock.noop", "--id", "nightly-1"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("exists already"))
        let worker = try tock(["worker", "--burst"])
        #expect(worker.status == 0, "\(worker.stderr)")
        let job = try jobJSON("nightly-1")
        #expect(job["status"] as? String == "finished")
        #expect(job["name"] as? String == "tock.sleep")
        #expect((job["kwargs"] as? [String: Any])?["region"] as? String == "eu")
        #expect(job["result"] as? Double == 0.2)
        #expect((job["worker"] as? String)?.isEmpty == false)
        for key in ["created_at", "enqueued_at", "started_at", "ended_at"] { #expect(job[key] is String, "\(key)") }
    }

    /// A wrong invocation exits 2, whichever layer notices; a request understood and
    /// failed exits 1.
    @Test(arguments: [
        (["enqueue", "tock.noop", "--queue", "urgent"], "unknown queue 'urgent'; configured queues: short, default, long", 2),
        (["enqueue", "tock.noop", "--args", "{oops"], "malformed --args", 2),
        (["enqueue", "tock.noop", "--kwargs", "[1]"], "is not a JSON object", 2),
        (["enqueue", "tock.noop", "--id", "has space"], "only A-Z, a-z, 0-9, '_' and '-' are accepted", 2),
        (["jobs", "cancel", "no-such-job"], "no job with id 'no-such-job'", 1),
    ])
    func badInputIsOneLineAndNonZero(arguments: [String], message: String, status: Int32) throws {
        let output = try tock(arguments)
        #expect(output.status == status)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(try tock(["jobs", "--json"]).stdout.contains("\"id\"") == false, "a job was stored")
    }

    /// Reading commands do not make an empty database where none is (run in the wrong
    /// directory, `tock jobs` would show nothing, silently); memory: is refused for
    /// one-shot commands (the job would be gone at exit).
    @Test func readingCommandsNeedTheDatabaseAndMemoryIsRefused() throws {
        for command in [["jobs"], ["workers"], ["queues"], ["scheduler", "status"]] {
            let output = try TockProcess.run(command, in: directory)
            #expect(output.status == 2, "\(command): \(output.stderr)")
            #expect(output.stderr.contains("no Tock database at ./tock.db"), "\(command): \(output.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("tock.db").path))
        let memory = try TockProcess.run(["enqueue", "tock.noop", "--backend", "memory:"], in: directory)
        #expect(memory.status == 2)
        #expect(memory.stdout.isEmpty, "an id was printed for a job that is gone: \(memory.stdout)")
        #expect(memory.stderr.contains("memory: backend lives inside one process"), "\(memory.stderr)")
    }

    /// `enqueue --wait --json` prints the job as it ended.
    @Test func enqueueWaitJsonPrintsTheEndState() async throws {
        let worker = try TockProcess.start(
            ["worker", "--backend", "sqlite:\(database)"], in: directory, log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let output = try tock(["enqueue", "tock.sleep", "--args", "[0.2]", "--wait", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let job = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(job["status"] as? String == "finished")
        #expect(job["result"] as? Double == 0.2)
        kill(worker.processIdentifier, SIGTERM)
        await TockProcess.exit(worker)
    }

    @Test func fullQueueRefusesAndKeepsWhatItHas() throws {
        let config = directory.appendingPathComponent("tock.yaml")
        try "queues:\n  default: {max_queued: 2}\n".write(to: config, atomically: true, encoding: .utf8)
        for _ in 0..<2 { #expect(try tock(["enqueue", "tock.noop", "--config", config.path]).status == 0) }
        let refused = try tock(["enqueue", "tock.noop", "--config", config.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("queue 'default' is full (max_queued 2)"))
        let queues = try tock(["queues", "--json", "--config", config.path])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(queues.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first { $0["name"] as? String == "default" }?["queued"] as? Double == 2)
    }

    @Test func corruptDatabaseIsAnErrorNotACrash() throws {
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: database))
        let output = try tock(["enqueue", "tock.noop"])
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix("tock: error: backend"), "\(output.stderr)")
        #expect(output.stderr.contains(database))
        let unreadable = try TockProcess.run(["jobs", "--backend", "sqlite:\(directory.path)"], in: directory)
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.contains("tock: error:"))
    }

    @Test func unknownJobNameFailsAtTheWorkerAndCanBeRequeued() throws {
        let id = try tock(["enqueue", "app.tasks.not_registered"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try tock(["worker", "--burst", "--name", "w"])
        let job = try jobJSON(id)
        #expect(job["status"] as? String == "failed")
        #expect(job["error"] as? String == "no handler for job 'app.tasks.not_registered' on worker w.1")
        let requeued = try tock(["jobs", "requeue", "--failed"])
        #expect(requeued.stdout.contains("requeued 1 failed job"))
        #expect(try jobJSON(id)["status"] as? String == "queued")
    }

    @Test func commandIgnoringSigtermIsKilledAtItsTimeout() throws {
        let schedules = directory.appendingPathComponent("jobs.yaml")
        try """
            jobs:
              app.stubborn:
                command: ["/bin/sh", "-c", "trap '' TERM; sleep 60"]
            """.write(to: schedules, atomically: true, encoding: .utf8)
        let id = try tock(["enqueue", "app.stubborn", "--timeout", "1"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = Date()
        let worker = try tock(["worker", "--burst", "--schedules", schedules.path])
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(Date().timeIntervalSince(started) < 40)
        let job = try jobJSON(id)
        #expect(job["status"] as? String == "failed")
        #expect(job["error"] as? String == "timed out after 1 s")
    }

    @Test func aWorkerRunningJobAfterJobShowsBusy() throws {
        // 0.1 s jobs back to back for 4 s; each end claims the next in the same write.
        for _ in 0..<40 { #expect(try tock(["enqueue", "tock.sleep", "--args", "[0.1]"]).status == 0) }
        let worker = Process()
        worker.executableURL = TockProcess.binary
        worker.arguments = ["worker", "--burst", "--name", "steady", "--backend", "sqlite:\(database)"]
        worker.currentDirectoryURL = directory
        worker.standardError = FileHandle.nullDevice
        try worker.run()
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }; worker.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1.5)
        var states: [String] = []
        for _ in 0..<8 {
            let listed = try JSONSerialization.jsonObject(with: Data(try tock(["workers", "--json"]).stdout.utf8)) as? [[String: Any]]
            states.append(listed?.first { $0["name"] as? String == "steady.1" }?["state"] as? String ?? "absent")
            Thread.sleep(forTimeInterval: 0.25)
        }
        #expect(states.allSatisfy { $0 == "busy" }, "tock workers while it ran jobs back to back: \(states)")
    }

    @Test func workerKilledMidJobLeavesItAbandonedNotStarted() throws {
        let fast = ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": "3s"]
        let id = try tock(["enqueue", "tock.sleep", "--args", "[60]"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let victim = Process()
        victim.executableURL = TockProcess.binary
        victim.arguments = ["worker", "--name", "victim", "--backend", "sqlite:\(database)"]
        victim.currentDirectoryURL = directory
        victim.environment = ProcessInfo.processInfo.environment.merging(fast) { $1 }
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        defer { if victim.isRunning { kill(victim.processIdentifier, SIGKILL) } }
        try waitUntil(seconds: 20) { try jobJSON(id)["status"] as? String == "started" }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(try jobJSON(id)["status"] as? String == "started")
        // Another worker finds it within heartbeat_timeout + heartbeat_interval (+ slack).
        let rescuer = Process()
        rescuer.executableURL = TockProcess.binary
        rescuer.arguments = ["worker", "--name", "rescuer", "--queue", "short", "--backend", "sqlite:\(database)"]
        rescuer.currentDirectoryURL = directory
        rescuer.environment = victim.environment
        rescuer.standardError = FileHandle.nullDevice
        try rescuer.run()
        defer { kill(rescuer.processIdentifier, SIGKILL); rescuer.waitUntilExit() }
        try waitUntil(seconds: 15) { try jobJSON(id)["status"] as? String == "failed" }
        #expect(try jobJSON(id)["error"] as? String == "abandoned: worker victim.1 stopped heartbeating")
    }

    @Test func fourWorkersRunTwoThousandJobsExactlyOnce() throws {
        let record = directory.appendingPathComponent("ids.txt")
        let schedules = directory.appendingPathComponent("jobs.yaml")
        try """
            jobs:
              app.record:
                command: ["/bin/sh", "-c", "echo \\"$TOCK_JOB_ID\\" >> '\(record.path)'"]
            """.write(to: schedules, atomically: true, encoding: .utf8)
        let items = directory.appendingPathComponent("ids.jsonl")
        try (1...2000).map { "\($0)" }.joined(separator: "\n").write(to: items, atomically: true, encoding: .utf8)
        // 2,000 jobs of one item each, enqueued atomically as a batch.
        let batch = try tock(["batch", "app.record", "--items", items.path, "--chunk-size", "1", "--id", "drain"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let workers = try (0..<4).map { index -> Process in
            let process = Process()
            process.executableURL = TockProcess.binary
            process.arguments = ["worker", "--burst", "--name", "w\(index)", "--schedules", schedules.path, "--backend", "sqlite:\(database)"]
            process.currentDirectoryURL = directory
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for worker in workers { worker.waitUntilExit() }
        #expect(workers.allSatisfy { $0.terminationStatus == 0 })
        let lines = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2000)
        #expect(Set(lines).count == 2000)
        #expect(Set(lines) == Set((1...2000).map { "drain-\($0)" }))
        let show = try tock(["batch", "show", "drain", "--json"])
        let status = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(status["finished"] as? Double == 2000)
        #expect(status["status"] as? String == "finished")
    }

    private func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("condition not met within \(seconds) s")
        throw CancellationError()
    }
}
