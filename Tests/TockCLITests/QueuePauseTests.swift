import Foundation
import Testing
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Pausing a queue, end to end: `tock queues pause|resume`, `POST /api/v1/queues/NAME/pause`
/// and `/resume` on a real `tock serve`, and real `tock worker` processes on SQLite and on a
/// real redis-server that stop claiming from a paused queue — while they go on with the
/// other queues — and take its jobs once it is resumed.
@Suite(.serialized) final class QueuePauseTests {
    let directory: URL
    let port: Int
    var children: [Process] = []

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        port = try RedisServer.freePort()
    }

    deinit {
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    var sqlite: String { "sqlite:" + directory.appendingPathComponent("tock.db").path }

    /// Runs `tock ARGUMENTS --backend BACKEND` to its end.
    func tock(_ arguments: [String], backend: String) throws -> TockProcess.Output {
        try TockProcess.run(arguments + ["--backend", backend], in: directory)
    }

    /// `tock queues --json`, by queue name.
    func queues(_ backend: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: [String: Any]] {
        let output = try tock(["queues", "--json"], backend: backend)
        let list = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]], "\(output.stderr)",
            sourceLocation: sourceLocation)
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "?", $0) })
    }

    func startServer(backend: String) async throws {
        let log = directory.appendingPathComponent("serve.log")
        children.append(try TockProcess.start(["serve", "--listen", "127.0.0.1:\(port)", "--backend", backend], in: directory, log: log))
        for _ in 0..<200 {
            if let (status, _, _) = try? await call("GET", "/healthz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("tock serve did not answer: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// Sends a request; the status, the headers and the body parsed as JSON (or `nil`).
    func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, [String: String], Any?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, fields, try? JSONSerialization.jsonObject(with: data))
    }

    // MARK: - The CLI

    @Test func cliPausesListsAndResumesAQueue() throws {
        _ = try tock(["enqueue", "tock.noop", "--id", "waiting"], backend: sqlite)
        let pause = try tock(["queues", "pause", "default"], backend: sqlite)
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(pause.stdout.contains("default paused"))
        let again = try tock(["queues", "pause", "default"], backend: sqlite)
        #expect(again.status == 0 && again.stdout.contains("default was paused already"))

        let listed = try queues(sqlite)
        #expect(listed["default"]?["paused"] as? Bool == true)
        #expect(listed["short"]?["paused"] as? Bool == false)
        #expect(listed["default"]?["queued"] as? Int == 1)
        #expect(listed["default"]?["oldest_queued_at"] is String)
        #expect((listed["default"]?["latency_seconds"] as? Double).map { $0 >= 0 && $0 < 60 } == true)
        #expect(listed["short"]?["oldest_queued_at"] is NSNull && listed["short"]?["latency_seconds"] is NSNull)
        let table = try tock(["queues"], backend: sqlite)
        #expect(table.stdout.contains("default (PAUSED)") && !table.stdout.contains("short (PAUSED)"), "\(table.stdout)")
        #expect(table.stdout.contains("LATENCY"))
        let list = try tock(["queues", "list"], backend: sqlite)
        #expect(list.stdout.split(separator: "\n").first == table.stdout.split(separator: "\n").first)
        #expect(list.stdout.contains("default (PAUSED)"))

        // A burst worker finds nothing to take.
        let worker = try tock(["worker", "--burst"], backend: sqlite)
        #expect(worker.status == 0)
        #expect(try queues(sqlite)["default"]?["queued"] as? Int == 1)

        let unknown = try tock(["queues", "pause", "urgent"], backend: sqlite)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown queue 'urgent'; configured queues: short, default, long"), "\(unknown.stderr)")
        #expect(try tock(["queues", "resume", "urgent"], backend: sqlite).status == 2)

        let resume = try tock(["queues", "resume", "default"], backend: sqlite)
        #expect(resume.status == 0 && resume.stdout.contains("default resumed"))
        #expect(try tock(["queues", "resume", "default"], backend: sqlite).stdout.contains("default was not paused"))
        #expect(try queues(sqlite)["default"]?["paused"] as? Bool == false)
        _ = try tock(["worker", "--burst"], backend: sqlite)
        #expect(try queues(sqlite)["default"]?["finished"] as? Int == 1)
    }

    /// A queue paused and then dropped from the configuration still shows, paused, and
    /// can be resumed; once resumed it is unknown again.
    @Test func aPausedQueueNoLongerConfiguredCanBeResumed() throws {
        let config = directory.appendingPathComponent("urgent.yaml")
        try "queues:\n  urgent: {timeout: 60}\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(try tock(["queues", "pause", "urgent", "--config", config.path], backend: sqlite).status == 0)
        let listed = try queues(sqlite)
        #expect(listed["urgent"]?["paused"] as? Bool == true)
        #expect(listed["urgent"]?["timeout"] is NSNull)
        let resume = try tock(["queues", "resume", "urgent"], backend: sqlite)
        #expect(resume.status == 0 && resume.stdout.contains("urgent resumed"), "\(resume.stderr)")
        #expect(try queues(sqlite)["urgent"] == nil)
        #expect(try tock(["queues", "resume", "urgent"], backend: sqlite).status == 2)
    }

    // MARK: - The API

    @Test func apiPausesAndResumesAQueue() async throws {
        try await startServer(backend: sqlite)
        let (status, headers, body) = try await call("POST", "/api/v1/queues/default/pause")
        #expect(status == 200)
        #expect(headers["content-type"] == "application/json")
        let paused = try #require(body as? [String: Any])
        #expect(paused["name"] as? String == "default" && paused["paused"] as? Bool == true)
        #expect(try await call("POST", "/api/v1/queues/default/pause").0 == 200, "pausing twice")

        #expect(try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "held"}"#).0 == 202)
        let (_, _, list) = try await call("GET", "/api/v1/queues")
        let queue = try #require((list as? [[String: Any]])?.first { $0["name"] as? String == "default" })
        #expect(queue["paused"] as? Bool == true && queue["queued"] as? Int == 1)
        #expect(queue["oldest_queued_at"] is String)
        #expect(queue["latency_seconds"] is Double)
        // The same fields as the CLI's --json, from the same encoder.
        let printed = try #require(try queues(sqlite)["default"])
        #expect(Set(printed.keys) == Set(queue.keys))

        #expect(try tock(["worker", "--burst"], backend: sqlite).status == 0)
        #expect(try await (call("GET", "/api/v1/jobs/held").2 as? [String: Any])?["status"] as? String == "queued")
        let (metrics, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        let lines = String(decoding: metrics, as: UTF8.self).split(separator: "\n")
        #expect(lines.contains(#"tock_queue_paused{queue="default"} 1.0"#) || lines.contains(#"tock_queue_paused{queue="default"} 1"#), "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"tock_queue_paused{queue="short"} 0"#) })
        let age = lines.first { $0.hasPrefix(#"tock_queue_oldest_job_age_seconds{queue="default"} "#) }
        #expect(age.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 > 0 && $0 < 60 } == true, "\(age ?? "no age")")

        let (resumedStatus, _, resumed) = try await call("POST", "/api/v1/queues/default/resume")
        #expect(resumedStatus == 200)
        #expect((resumed as? [String: Any])?["paused"] as? Bool == false)
        #expect((resumed as? [String: Any])?["queued"] as? Int == 1)
        #expect(try tock(["worker", "--burst"], backend: sqlite).status == 0)
        #expect(try await (call("GET", "/api/v1/jobs/held").2 as? [String: Any])?["status"] as? String == "finished")

        for action in ["pause", "resume"] {
            let (missing, missingHeaders, problem) = try await call("POST", "/api/v1/queues/urgent/\(action)")
            #expect(missing == 404)
            #expect(missingHeaders["content-type"] == "application/problem+json")
            #expect(((problem as? [String: Any])?["detail"] as? String)?.contains("no queue named 'urgent'") == true)
        }
    }

    // MARK: - Workers, as processes

    enum Backend: String, CaseIterable, Sendable { case sqlite, redis }

    /// Two worker processes serve `default` and `short`. `default` is paused (through the
    /// CLI on SQLite, the API on Redis); jobs enqueued to both: `short`'s run, `default`'s
    /// wait, untouched, for seconds; after the resume they all run.
    @Test(.timeLimit(.minutes(3)), arguments: Backend.allCases)
    func workerProcessesHonourAPause(_ kind: Backend) async throws {
        if kind == .redis, !RedisServer.isInstalled { return }
        let server = kind == .redis ? try await RedisServer() : nil
        defer { server?.stop() }
        let backend = server?.urlString() ?? sqlite
        for index in 1...2 {
            children.append(
                try TockProcess.start(
                    ["worker", "--name", "pause-\(index)", "--queue", "default,short", "--concurrency", "2", "--backend", backend],
                    in: directory, log: directory.appendingPathComponent("worker\(index).log")))
        }
        if kind == .redis {
            try await startServer(backend: backend)
            #expect(try await call("POST", "/api/v1/queues/default/pause").0 == 200)
        } else {
            #expect(try tock(["queues", "pause", "default"], backend: backend).status == 0)
        }
        for index in 0..<6 {
            let enqueued = try tock(["enqueue", "tock.sleep", "--args", "[0.05]", "--id", "held-\(index)"], backend: backend)
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
        }
        for index in 0..<4 {
            _ = try tock(["enqueue", "tock.sleep", "--args", "[0.05]", "--queue", "short", "--id", "other-\(index)"], backend: backend)
        }
        // The other queue's jobs run…
        try await waitUntil("short's jobs finished", within: .seconds(30)) {
            try self.queues(backend)["short"]?["finished"] as? Int == 4
        }
        // …and for three more seconds the paused queue's stay where they are.
        try await Task.sleep(for: .seconds(3))
        let held = try #require(try queues(backend)["default"])
        #expect(held["paused"] as? Bool == true)
        #expect(held["queued"] as? Int == 6 && held["started"] as? Int == 0 && held["finished"] as? Int == 0, "\(held)")

        let resumedAt = ContinuousClock.now
        if kind == .redis {
            #expect(try await call("POST", "/api/v1/queues/default/resume").0 == 200)
        } else {
            #expect(try tock(["queues", "resume", "default"], backend: backend).status == 0)
        }
        try await waitUntil("default's jobs finished", within: .seconds(30)) {
            try self.queues(backend)["default"]?["finished"] as? Int == 6
        }
        // Woken by the resume rather than at the end of their idle wait (up to 5 s): 6 jobs
        // of 50 ms on 4 slots.
        #expect(ContinuousClock.now - resumedAt < .seconds(4))
        for worker in children where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
        for worker in children { #expect(await TockProcess.exit(worker, within: .seconds(30))) }
    }

    func waitUntil(_ what: String, within limit: Duration, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        let logs = (1...2).map { (try? String(contentsOf: directory.appendingPathComponent("worker\($0).log"), encoding: .utf8)) ?? "" }
        Issue.record("\(what): not within \(limit); worker logs:\n\(logs.joined(separator: "\n---\n"))")
    }
}
