import Foundation
import Testing
import TockTestSupport

/// What a hostile or careless input must not do to a real `tock` process: expand a small
/// file into gigabytes, leak the backend's password, or write control characters to
/// the operator's terminal.
@Suite(.serialized) struct HygieneTests: ScratchDatabase {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }


    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }


    /// Ten levels of nine aliases each: 3.9 billion nodes from about 500 bytes.
    static let laughs: String = {
        var lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
        for index in 1..<10 {
            let previous = index == 1 ? "a" : "l\(index - 1)"
            lines.append("l\(index): &l\(index) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    // MARK: - YAML expansion

    @Test func checkRejectsAnAliasBombQuickly() throws {
        let path = try write(Self.laughs, to: "bomb.yaml")
        let started = Date()
        let output = try TockProcess.run(["check", path], in: directory)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(path):6:10: error: YAML aliases expand this file past the limit"), "\(output.stdout)")
    }

    @Test func aReloadWithAnAliasBombKeepsTheSchedulerAndItsSchedule() async throws {
        let socket = try NotifySocket(directory: directory)
        let schedule = try write("events:\n  tick:\n    job: app.tick\n    schedule: \"* * * * * *\"\n    overlap: allow\n", to: "app.yaml")
        let scheduler = try TockProcess.start(
            ["scheduler", "--schedules", schedule, "--backend", "sqlite:\(database)"], in: directory,
            environment: ["NOTIFY_SOCKET": socket.path], log: directory.appendingPathComponent("scheduler.log"))
        defer { if scheduler.isRunning { kill(scheduler.processIdentifier, SIGKILL) } }
        _ = try #require(socket.wait(for: "READY=1", timeout: 20))
        _ = try write(Self.laughs, to: "app.yaml")
        kill(scheduler.processIdentifier, SIGHUP)
        let answer = try #require(socket.wait(for: "READY=1", timeout: 10), "no answer to SIGHUP")
        #expect(answer.last?.contains("reload failed") == true, "\(answer)")
        #expect(scheduler.isRunning)
        let count = { try self.tock(["jobs", "--json", "--limit", "100000"]).stdout.components(separatedBy: "\"app.tick\"").count }
        let before = try count()
        try await Task.sleep(for: .seconds(3))
        #expect(try count() >= before + 2, "the old schedule stopped firing")
        kill(scheduler.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(scheduler, within: .seconds(20)))
    }

    // MARK: - Secrets

    @Test func aCommandJobSeesNoConfigurationOrSystemdVariables() throws {
        let schedules = try write("""
            jobs:
              app.env:
                command: ["/usr/bin/env"]
                environment: {INVOICE_DIR: /srv/invoices}
            """, to: "jobs.yaml")
        let id = try tock(["enqueue", "app.env"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inherited = [
            "TOCK_BACKEND": "sqlite:\(database)", "TOCK_SCHEDULES": schedules, "TOCK_BACKEND_PASSWORD_FILE": "/nonexistent",
            "NOTIFY_SOCKET": "/run/nothing", "WATCHDOG_PID": "1", "LISTEN_FDS": "0", "CREDENTIALS_DIRECTORY": directory.path,
            "INVOCATION_ID": "0123456789abcdef", "APP_SECRET": "hunter2", "LANG": "C.UTF-8", "TZ": "Europe/Berlin",
        ]
        let worker = try TockProcess.run(["worker", "--burst"], in: directory, environment: inherited)
        #expect(worker.status == 0, "\(worker.stderr)")
        let job = try jobJSON(id)
        let output = try #require(job["result"] as? String, "\(job)")
        let names = Set(output.split(separator: "\n").map { String($0.prefix { $0 != "=" }) })
        for hidden in ["TOCK_BACKEND", "TOCK_SCHEDULES", "TOCK_BACKEND_PASSWORD_FILE", "NOTIFY_SOCKET", "WATCHDOG_PID",
                       "LISTEN_FDS", "CREDENTIALS_DIRECTORY", "INVOCATION_ID", "APP_SECRET"] {
            #expect(!names.contains(hidden), "\(hidden) reached the job: \(output)")
        }
        #expect(!output.contains("hunter2"))
        #expect(!output.contains(database))
        for line in ["TOCK_JOB_ID=\(id)", "TOCK_JOB_NAME=app.env", "TOCK_QUEUE=default", "TOCK_PROGRESS_FD=3",
                     "INVOICE_DIR=/srv/invoices", "LANG=C.UTF-8", "TZ=Europe/Berlin"] {
            #expect(output.split(separator: "\n").contains(Substring(line)), "\(line) missing: \(output)")
        }
        #expect(names.contains("PATH"))
    }

    @Test(arguments: [
        "redis://app:s3cr3t-pw@cache:notaport/0", "redis://app:s3cr3t-pw@cache:6379/nodb", "redis://app:s3cr3t-pw@/0",
        "rediss://app:s3cr3t-pw@cache:6379/0", "postgres://app:s3cr3t-pw@db/tock", "redis://s3cr3t-pw@cache:6379/0",
        "unix:///run/redis.sock?password=s3cr3t-pw&nope=1", "redis://:s3cr3t-pw@cache:6379/0?prefix=",
    ])
    func aMalformedBackendURLIsReportedWithoutItsPassword(url: String) throws {
        let output = try TockProcess.run(["jobs", "--backend", url], in: directory)
        #expect(output.status != 0)
        #expect(output.stderr.contains("error"), "\(output.stderr)")
        #expect(!output.stderr.contains("s3cr3t"), "\(output.stderr)")
        #expect(output.stderr.contains("***"), "\(output.stderr)")
    }

    @Test(.enabled(if: RedisServer.isInstalled)) func thePasswordComesFromACredentialFile() async throws {
        let server = try await RedisServer(password: "from-a-file")
        defer { server.stop() }
        let url = server.urlString()
        let refused = try TockProcess.run(["enqueue", "tock.noop", "--backend", url], in: directory)
        #expect(refused.status != 0, "the server should ask for a password")
        let credentials = directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "from-a-file\n".write(to: credentials.appendingPathComponent("tock-backend-password"), atomically: true, encoding: .utf8)
        let systemd = try TockProcess.run(
            ["enqueue", "tock.noop", "--backend", url], in: directory, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(systemd.status == 0, "\(systemd.stderr)")
        let file = try write("from-a-file", to: "password")
        let variable = try TockProcess.run(
            ["jobs", "--json", "--backend", url], in: directory, environment: ["TOCK_BACKEND_PASSWORD_FILE": file])
        #expect(variable.status == 0, "\(variable.stderr)")
        #expect(variable.stdout.components(separatedBy: "tock.noop").count == 2, "\(variable.stdout)")
        let wrong = try write("not-it", to: "wrong")
        let refusedAgain = try TockProcess.run(
            ["enqueue", "tock.noop", "--backend", url], in: directory, environment: ["TOCK_BACKEND_PASSWORD_FILE": wrong])
        #expect(refusedAgain.status != 0)
        #expect(!refusedAgain.stderr.contains("not-it"), "\(refusedAgain.stderr)")
    }

    @Test(.enabled(if: RedisServer.isInstalled)) func aPasswordOnTheCommandLineIsHiddenFromPS() async throws {
        let server = try await RedisServer(password: "on-the-command-line")
        defer { server.stop() }
        let url = "redis://:on-the-command-line@127.0.0.1:\(server.port)/0"
        let log = directory.appendingPathComponent("worker.log")
        let worker = try TockProcess.start(["worker", "--backend", url], in: directory, log: log)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        try await Task.sleep(for: .seconds(1))
        let cmdline = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(worker.processIdentifier)/cmdline")), as: UTF8.self)
        #expect(!cmdline.contains("on-the-command-line"), "\(cmdline)")
        #expect(cmdline.contains("redis://:***@127.0.0.1"), "\(cmdline)")
        #expect(worker.isRunning, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(20)))
        #expect(worker.terminationStatus == 0)
    }

    // MARK: - Terminal text

    @Test func controlCharactersFromAJobAreEscapedInTablesAndLogs() throws {
        let script = try write(#"printf 'boom\033[2J\033]0;owned\007\nforged: line' >&2; exit 1"#, to: "evil.sh")
        let schedules = try write("jobs:\n  app.evil:\n    command: [/bin/sh, \(script)]\n", to: "jobs.yaml")
        _ = try tock(["enqueue", "app.evil"])
        let worker = try tock(["worker", "--burst", "--schedules", schedules])
        #expect(!worker.stderr.contains("\u{1b}"), "\(worker.stderr)")
        #expect(!worker.stderr.split(separator: "\n").contains { $0.hasPrefix("forged") }, "\(worker.stderr)")
        let jobs = try tock(["jobs"])
        #expect(!jobs.stdout.contains("\u{1b}"))
        #expect(!jobs.stdout.contains("\u{7}"))
        #expect(jobs.stdout.split(separator: "\n").count == 2, "\(jobs.stdout)")
        #expect(jobs.stdout.contains(#"boom\e[2J\e]0;owned\x07\nforged"#), "\(jobs.stdout)")
        let show = try tock(["jobs", "show", try #require(jobs.stdout.split(separator: "\n").last?.split(separator: " ").first).description])
        #expect(show.stdout.contains(#"boom\e[2J\e]0;owned\x07\nforged: line"#), "\(show.stdout)")
    }

    @Test func longErrorsAreCutInTheListButNotInShow() throws {
        let long = String(repeating: "x", count: 200)
        let schedules = try write("""
            jobs:
              app.long:
                command: ["/bin/sh", "-c", "echo \(long) >&2; exit 1"]
            """, to: "jobs.yaml")
        let id = try tock(["enqueue", "app.long"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try tock(["worker", "--burst", "--schedules", schedules])
        let jobs = try tock(["jobs"])
        #expect(jobs.stdout.contains(String(repeating: "x", count: 59) + "…"), "\(jobs.stdout)")
        #expect(!jobs.stdout.contains(String(repeating: "x", count: 61)))
        #expect(try tock(["jobs", "show", id]).stdout.contains(long))
    }
}
