import Foundation
import Testing

/// SQLite under faults, through real `tock` processes: a full disk (a small tmpfs), and
/// another process holding the write lock longer than the busy timeout.
@Suite(.serialized) struct SQLiteFaultTests {
    /// Another writer (`sqlite3` in `BEGIN EXCLUSIVE`) holds the lock for 8 s;
    /// `sqlite_busy_timeout: 4s` in tock.yaml. An enqueue that waits longer than that fails
    /// with exit 1 naming the lock and stores nothing; one made while less than 4 s of the
    /// lock remain waits and succeeds; an idle worker rides it out and runs the jobs after.
    @Test func aWriteLockHeldLongerThanTheBusyTimeout() async throws {
        let harness = try FaultHarness { "sqlite:\($0.appendingPathComponent("tock.db").path)" }
        try "sqlite_busy_timeout: 4s\n".write(to: harness.directory.appendingPathComponent("tock.yaml"), atomically: true, encoding: .utf8)
        let database = harness.directory.appendingPathComponent("tock.db").path
        #expect(try harness.tock(["enqueue", "tock.noop", "--id", "before"]).status == 0)
        let worker = try harness.startWorker(
            "steady", arguments: ["--queue", "default"],
            environment: ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": "30s"])
        try #require(try await harness.wait(seconds: 20) { try harness.job("before")["status"] as? String == "finished" })

        // The lock: sqlite3 takes it, says so, holds it 8 s, commits.
        let marker = harness.directory.appendingPathComponent("locked.out")
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/bin/sh")
        locker.arguments = [
            "-c", "(echo 'BEGIN EXCLUSIVE;'; echo \"SELECT 'locked';\"; sleep 8; echo 'COMMIT;') | sqlite3 -cmd '.timeout 10000' '\(database)' > '\(marker.path)'",
        ]
        try locker.run()
        defer { if locker.isRunning { kill(locker.processIdentifier, SIGKILL) } }
        try #require(await harness.wait(seconds: 10) { ((try? String(contentsOf: marker, encoding: .utf8)) ?? "").contains("locked") })
        let lockedAt = Date()

        let start = Date()
        let refused = try harness.tock(["enqueue", "tock.noop", "--id", "during"])
        let waited = Date().timeIntervalSince(start)
        #expect(refused.status == 1, "exit status \(refused.status): \(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("held the write lock longer than 4"), "\(refused.stderr)")
        #expect(waited >= 3.5 && waited < 7.5, "the enqueue gave up after \(waited) s, not after the busy timeout of 4 s")

        // Less than the busy timeout of the lock is left: this one waits, then succeeds.
        let sinceLock = Date().timeIntervalSince(lockedAt)
        if sinceLock < 5 { try await Task.sleep(for: .milliseconds(Int((5 - sinceLock) * 1000))) }
        let waitStart = Date()
        let waiting = try harness.tock(["enqueue", "tock.noop", "--id", "waited"])
        #expect(waiting.status == 0, "\(waiting.stderr)")
        #expect(Date().timeIntervalSince(waitStart) > 0.3, "the second enqueue did not wait for the lock")
        #expect(Date().timeIntervalSince(lockedAt) >= 7.5, "the second enqueue succeeded before the lock was released")
        locker.waitUntilExit()

        // Nothing half-written; nothing lost; the worker (whose beats failed meanwhile) runs on.
        #expect(try harness.tock(["jobs", "show", "during"]).status != 0, "the refused job was stored")
        #expect(try harness.tock(["enqueue", "tock.noop", "--id", "during"]).status == 0)
        let ran = try await harness.wait(seconds: 20) {
            try ["waited", "during"].allSatisfy { try harness.job($0)["status"] as? String == "finished" }
        }
        #expect(ran, "jobs after the lock: \((try? harness.tock(["jobs"]).stdout) ?? "")\n\(harness.logText("steady"))")
        #expect(worker.isRunning, "the worker exited:\n\(harness.logText("steady"))")
        #expect(harness.logText("steady").contains("held the write lock longer than 4"), "the worker met no lock:\n\(harness.logText("steady"))")
    }

    /// The database on a 4 MB tmpfs that a filler file fills up while a worker runs a job.
    /// Enqueues fail with exit 1 and "database or disk is full", storing nothing; the
    /// running job's end waits (retried) until space returns, and is then recorded; every
    /// job enqueued before or after runs. Needs root (mount); skipped otherwise.
    @Test func aFullDiskRefusesEnqueuesAndLosesNoJob() async throws {
        let harness = try FaultHarness { "sqlite:\($0.appendingPathComponent("disk/tock.db").path)" }
        let disk = harness.directory.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = try TockProcess.run(["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.path], executable: URL(fileURLWithPath: "/bin/mount"))
        guard mount.status == 0 else {
            print("*** aFullDiskRefusesEnqueuesAndLosesNoJob SKIPPED: cannot mount a tmpfs (\(mount.stderr)) ***")
            return
        }
        defer { _ = try? TockProcess.run(["-l", disk.path], executable: URL(fileURLWithPath: "/bin/umount")) }

        let fast = ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": "60s"]
        #expect(try harness.tock(["enqueue", "tock.sleep", "--args", "[4]", "--id", "running"]).status == 0)
        let worker = try harness.startWorker("steady", arguments: ["--queue", "default"], environment: fast)
        try #require(try await harness.wait(seconds: 20) { try harness.job("running")["status"] as? String == "started" })

        // Fill the disk.
        let filler = disk.appendingPathComponent("filler")
        let dd = try TockProcess.run(["if=/dev/zero", "of=\(filler.path)", "bs=64k"], executable: URL(fileURLWithPath: "/bin/dd"))
        #expect(dd.stderr.contains("No space left"), "\(dd.stderr)")

        // Enqueue until the database cannot grow (the WAL may have room for a few).
        let payload = String(repeating: "x", count: 4000)
        var stored: [String] = []
        var refusal: (id: String, output: TockProcess.Output)?
        for index in 0..<100 {
            let id = "full-\(index)"
            let output = try harness.tock(["enqueue", "tock.noop", "--id", id, "--kwargs", "{\"pad\": \"\(payload)\"}"])
            if output.status == 0 { stored.append(id) } else { refusal = (id, output); break }
        }
        let (refusedID, refused) = try #require(refusal, "100 enqueues of 4 kB succeeded on a full 4 MB disk")
        #expect(refused.status == 1, "exit status \(refused.status)")
        #expect(refused.stderr.contains("database or disk is full"), "\(refused.stderr)")
        #expect(try harness.tock(["jobs", "show", refusedID]).status != 0, "the refused job was stored")
        #expect(try harness.tock(["jobs", "show", "running"]).status == 0, "reading while the disk is full")

        // The running job has ended by now (4 s); its end cannot be written yet.
        try await Task.sleep(for: .seconds(5))
        #expect(worker.isRunning, "the worker exited on a full disk:\n\(harness.logText("steady"))")
        #expect(try harness.job("running")["status"] as? String == "started")

        // Space returns: the end is recorded, and every job runs.
        try FileManager.default.removeItem(at: filler)
        #expect(try harness.tock(["enqueue", "tock.noop", "--id", refusedID]).status == 0)
        let all = ["running", refusedID] + stored
        let ran = try await harness.wait(seconds: 60) {
            try all.allSatisfy { try harness.job($0)["status"] as? String == "finished" }
        }
        #expect(ran, "\((try? harness.tock(["jobs"]).stdout) ?? "")\n\(harness.logText("steady"))")
        #expect(worker.isRunning, "the worker exited:\n\(harness.logText("steady"))")
        #expect(harness.logText("steady").contains("could not record the job's end"), "\(harness.logText("steady"))")
        let check = try TockProcess.run([disk.appendingPathComponent("tock.db").path, "PRAGMA integrity_check"], executable: URL(fileURLWithPath: "/usr/bin/sqlite3"))
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(check.stdout) \(check.stderr)")

        // With no process holding it open, its -shm file is gone: opening on a full disk
        // fails there, and says that the disk is full (not that the file is no database).
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(20)))
        _ = try TockProcess.run(["if=/dev/zero", "of=\(filler.path)", "bs=64k"], executable: URL(fileURLWithPath: "/bin/dd"))
        let closed = try harness.tock(["enqueue", "tock.noop", "--id", "closed"])
        #expect(closed.status == 1, "exit status \(closed.status)")
        #expect(closed.stderr.contains("no space left on the file system of"), "\(closed.stderr)")
    }
}
