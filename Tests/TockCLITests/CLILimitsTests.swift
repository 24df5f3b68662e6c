import Foundation
import Testing
import TockTestSupport

/// Limits and signals of the `tock` command: usage errors exit 2 with one line, the
/// database is private, SIGHUP does not kill a worker or `tock dev`.
@Suite(.serialized) struct CLILimitsTests: ScratchDatabase {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }


    private func status(_ id: String) throws -> String? {
        let output = try tock(["jobs", "show", id, "--json"])
        let job = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        return job?["status"] as? String
    }

    private func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    private static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test(arguments: [
        (["worker", "--concurrency", "9223372036854775807"], "--concurrency must be between 1 and 1024 (jobs run at once), not 9223372036854775807"),
        (["worker", "--concurrency", "0"], "--concurrency must be between 1 and 1024"),
        (["next", "--expr", "* * * * *", "--from", "2026-01-01T00:00-99:99"], "has an offset outside -14:00…+14:00 or with minutes ≥ 60"),
        (["next", "--expr", "* * * * *", "--from", "2026-01-01T00:00+14:30"], "has an offset outside -14:00…+14:00"),
        (["next", "--expr", "* * * * *", "--from", "2026-01-01T00:00+05:60"], "with minutes ≥ 60"),
        (["next", "--expr", "* * * * *", "--count", "10000000"], "--count must be between 1 and 100000, not 10000000"),
        (["enqueue", "tock.noop", "--retry-intervals", ",,,"], "--retry-intervals ',,,' has an empty item"),
        (["enqueue", "tock.noop", "--retry-intervals", "10s,,1m"], "has an empty item"),
        (["batch", "tock.noop", "--items", "items.jsonl", "--chunk-size", "1", "--on-complete", ""], "--on-complete needs a job name"),
    ])
    func usageErrorsExitTwoWithOneLine(arguments: [String], message: String) throws {
        try "1\n".write(to: directory.appendingPathComponent("items.jsonl"), atomically: true, encoding: .utf8)
        let output = try tock(arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(try tock(["jobs", "--json"]).stdout.contains("\"id\"") == false, "a job was stored")
    }

    @Test func offsetsAtTheEdgesAreAccepted() throws {
        for offset in ["+14:00", "-12:00", "+05:45", "Z"] {
            let output = try TockProcess.run(["next", "--expr", "0 0 * * *", "--from", "2026-01-01T00:00" + offset, "--count", "1"], in: directory)
            #expect(output.status == 0, "\(offset): \(output.stderr)")
        }
    }

    @Test func poolConcurrencyInTheConfigurationIsBounded() throws {
        let config = directory.appendingPathComponent("tock.yaml")
        try "pools:\n  big: {queues: [default], concurrency: 9223372036854775807}\n".write(to: config, atomically: true, encoding: .utf8)
        let output = try tock(["worker", "--burst", "--pool", "big", "--config", config.path])
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stderr.contains("2:41: 'concurrency' must be between 1 and 1024"), "\(output.stderr)")
    }

    @Test func aDanglingSymlinkInASchedulesDirectoryIsAProblem() throws {
        let schedules = directory.appendingPathComponent("schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        try "jobs:\n  app.a: {command: [/bin/true]}\n".write(to: schedules.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let link = schedules.appendingPathComponent("b.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/nonexistent/app.yaml")
        let output = try TockProcess.run(["check", schedules.path], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(link): error: cannot read: it is a symbolic link to /nonexistent/app.yaml, which does not exist"), "\(output.stdout)")
    }

    @Test func theDatabaseAndItsWALAreReadableByTheirOwnerOnly() async throws {
        #expect(try tock(["enqueue", "tock.noop"]).status == 0)
        #expect(try Self.mode(database) == 0o600)
        // A running worker keeps the -wal and -shm files open.
        let worker = try TockProcess.start(
            ["worker", "--backend", "sqlite:\(database)"], in: directory, log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        #expect(try waitUntil(seconds: 20) {
            FileManager.default.fileExists(atPath: database + "-wal") && FileManager.default.fileExists(atPath: database + "-shm")
        })
        #expect(try Self.mode(database + "-wal") == 0o600)
        #expect(try Self.mode(database + "-shm") == 0o600)
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(20)))
    }

    @Test func sighupToAWorkerRunningAJobLetsTheJobFinish() async throws {
        let id = try tock(["enqueue", "tock.sleep", "--args", "[2]"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let log = directory.appendingPathComponent("worker.log")
        let worker = try TockProcess.start(["worker", "--backend", "sqlite:\(database)"], in: directory, log: log)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        #expect(try waitUntil(seconds: 20) { try status(id) == "started" })
        kill(worker.processIdentifier, SIGHUP)
        #expect(try waitUntil(seconds: 20) { try status(id) == "finished" }, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(worker.isRunning)
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(20)))
        #expect(worker.terminationStatus == 0)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("SIGHUP: a worker has nothing to reload"))
    }

    @Test func sighupToDevReloadsAndKeepsRunning() async throws {
        let schedules = directory.appendingPathComponent("schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        try "events:\n  tick:\n    job: tock.noop\n    schedule: \"0 0 1 1 *\"\n".write(
            to: schedules.appendingPathComponent("app.yaml"), atomically: true, encoding: .utf8)
        let id = try tock(["enqueue", "tock.sleep", "--args", "[2]"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let log = directory.appendingPathComponent("dev.log")
        let port = try RedisServer.freePort()
        let dev = try TockProcess.start(["dev", "--backend", "sqlite:\(database)", "--listen", "127.0.0.1:\(port)"], in: directory, log: log)
        defer { if dev.isRunning { kill(dev.processIdentifier, SIGKILL) } }
        #expect(try waitUntil(seconds: 20) { try status(id) == "started" })
        // tock dev serves the API too, and says where.
        #expect(try waitUntil(seconds: 10) { try String(contentsOf: log, encoding: .utf8).contains("API on http://127.0.0.1:\(port)/api/v1/") })
        let queues = try TockProcess.run(
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/api/v1/queues"], executable: URL(fileURLWithPath: "/usr/bin/curl"))
        #expect(queues.stdout == "200")
        kill(dev.processIdentifier, SIGHUP)
        #expect(try waitUntil(seconds: 20) { try status(id) == "finished" }, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(dev.isRunning)
        #expect(try waitUntil(seconds: 10) { try String(contentsOf: log, encoding: .utf8).contains("reloaded: 1 events") })
        kill(dev.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(dev, within: .seconds(20)))
    }
}
