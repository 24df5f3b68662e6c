import Foundation
import Testing
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `tock serve` through a real HTTP client on loopback, with a real worker: the story
/// Tock exists for — enqueue, answer 202 at once, follow the job to its end.
@Suite(.serialized) final class APITests {
    let server: APIServer
    var directory: URL { server.directory }
    var database: String { server.database }
    var port: Int { server.port }

    init() throws {
        server = try APIServer()
    }

    func start(_ extra: [String] = []) async throws { try await server.start(extra) }

    func call(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:]) async throws
        -> (Int, [String: String], Any?)
    {
        let answer = try await server.call(method, path, body, headers: headers)
        return (answer.status, answer.headers, answer.body)
    }

    @Test func enqueueAnswers202AtOnceAndTheJobCanBeFollowedToItsEnd() async throws {
        try await start()
        let (status, headers, body) = try await call("POST", "/api/v1/jobs", #"{"name": "tock.sleep", "args": [0.2], "kwargs": {"region": "eu"}}"#)
        #expect(status == 202)
        let job = try #require(body as? [String: Any])
        let id = try #require(job["id"] as? String)
        #expect(headers["location"] == "/api/v1/jobs/\(id)")
        #expect(headers["content-type"] == "application/json")
        #expect(job["status"] as? String == "queued" && job["origin"] as? String == "api")
        // The same fields as the CLI's --json, from the same encoder.
        let cli = try TockProcess.run(["jobs", "show", id, "--json", "--backend", "sqlite:\(database)"], in: directory)
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        #expect(Set(printed.keys) == Set(job.keys))
        let worker = try TockProcess.run(["worker", "--burst", "--backend", "sqlite:\(database)"], in: directory)
        #expect(worker.status == 0)
        let (_, _, ended) = try await call("GET", "/api/v1/jobs/\(id)")
        #expect((ended as? [String: Any])?["status"] as? String == "finished")
        #expect((ended as? [String: Any])?["result"] as? Double == 0.2)
    }

    @Test func theSameIdOrIdempotencyKeyEnqueuesOnce() async throws {
        try await start()
        let first = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "invoice-42"}"#)
        let again = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "invoice-42"}"#)
        let keyed = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#, headers: ["Idempotency-Key": "invoice-42"])
        #expect(first.0 == 202)
        #expect(again.0 == 200 && keyed.0 == 200)
        #expect((keyed.2 as? [String: Any])?["id"] as? String == "invoice-42")
        let (_, _, list) = try await call("GET", "/api/v1/jobs")
        #expect(((list as? [String: Any])?["jobs"] as? [[String: Any]])?.count == 1)
    }

    @Test func invalidInputIs400NamingEveryField() async throws {
        try await start()
        let (status, headers, body) = try await call(
            "POST", "/api/v1/jobs", #"{"name": 5, "args": {}, "timeout": "soon", "colour": "red"}"#)
        #expect(status == 400)
        #expect(headers["content-type"] == "application/problem+json")
        let problem = try #require(body as? [String: Any])
        #expect(problem["status"] as? Int == 400)
        let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields.map(Set.init) == ["name", "args", "timeout", "colour"])
        let queue = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "queue": "urgent"}"#)
        #expect(queue.0 == 400)
        #expect(((queue.2 as? [String: Any])?["errors"] as? [[String: Any]])?.first?["field"] as? String == "queue")
        let notJSON = try await call("POST", "/api/v1/jobs", "{oops")
        #expect(notJSON.0 == 400)
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let nested = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "args": \#(deep)}"#)
        #expect(nested.0 == 400)
        let (_, _, list) = try await call("GET", "/api/v1/jobs")
        #expect(((list as? [String: Any])?["jobs"] as? [[String: Any]])?.isEmpty == true, "a refused request stored a job")
    }

    @Test func aFullQueueIs429WithRetryAfter() async throws {
        let config = directory.appendingPathComponent("tock.yaml")
        try "queues:\n  default: {max_queued: 1}\n".write(to: config, atomically: true, encoding: .utf8)
        try await start(["--config", config.path])
        #expect(try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#).0 == 202)
        let (status, headers, body) = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#)
        #expect(status == 429)
        #expect(headers["retry-after"] == "5")
        #expect(((body as? [String: Any])?["detail"] as? String)?.contains("max_queued 1") == true)
    }

    @Test func jobActionsListsQueuesWorkersAndHealth() async throws {
        try await start()
        #expect(try await call("GET", "/readyz").0 == 200)
        _ = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "a", "queue": "short"}"#)
        _ = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "b", "in": "1h"}"#)
        #expect(try await call("GET", "/api/v1/jobs/nope").0 == 404)
        #expect(try await call("GET", "/api/v1/jobs/has%20space").0 == 400)
        let stop = try await call("POST", "/api/v1/jobs/a/stop")
        #expect(stop.0 == 409)
        let (_, _, scheduled) = try await call("GET", "/api/v1/jobs?status=scheduled")
        #expect(((scheduled as? [String: Any])?["jobs"] as? [[String: Any]])?.map { $0["id"] as? String } == ["b"])
        #expect(try await call("GET", "/api/v1/jobs?status=nope").0 == 400)
        #expect(try await call("GET", "/api/v1/jobs?limit=-1").0 == 400)
        let cancel = try await call("POST", "/api/v1/jobs/a/cancel")
        #expect(cancel.0 == 200 && (cancel.2 as? [String: Any])?["status"] as? String == "canceled")
        #expect(try await call("DELETE", "/api/v1/jobs/b").0 == 204)
        #expect(try await call("GET", "/api/v1/jobs/b").0 == 404)
        let (_, _, queues) = try await call("GET", "/api/v1/queues")
        let short = (queues as? [[String: Any]])?.first { $0["name"] as? String == "short" }
        #expect(short?["canceled"] as? Int == 1)
        let (workersStatus, _, workers) = try await call("GET", "/api/v1/workers")
        #expect(workersStatus == 200 && (workers as? [Any])?.isEmpty == true)
    }

    /// Events and the scheduler, as `tock events` and `tock scheduler` show and switch them.
    @Test func eventsAndTheScheduler() async throws {
        try FileManager.default.copyItem(
            at: TockProcess.packageRoot.appendingPathComponent("schedules"), to: directory.appendingPathComponent("schedules"))
        try await start()
        let (status, _, events) = try await call("GET", "/api/v1/events")
        #expect(status == 200)
        let list = try #require(events as? [[String: Any]])
        #expect(list.count > 20)
        // The same objects as `tock events --json`.
        let cli = try TockProcess.run(["events", "--json", "--backend", "sqlite:\(database)"], in: directory)
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [[String: Any]])
        #expect(printed.map { $0["event"] as? String } == list.map { $0["event"] as? String })
        #expect(Set(printed.first?.keys ?? [:].keys) == Set(list.first?.keys ?? [:].keys))
        let event = "cabs_app.tasks.heartbeat@all"
        let disabled = try await call("POST", "/api/v1/events/\(event)/disable")
        #expect(disabled.0 == 200 && (disabled.2 as? [String: Any])?["enabled"] as? Bool == false)
        let enabled = try await call("POST", "/api/v1/events/\(event)/enable")
        #expect((enabled.2 as? [String: Any])?["enabled_override"] as? Bool == true)
        let run = try await call("POST", "/api/v1/events/send-invoices/run")
        #expect(run.0 == 202)
        #expect((run.2 as? [String: Any])?["origin"] as? String == "manual:send-invoices")
        #expect(try await call("GET", "/api/v1/events/no-such-event").0 == 404)
        let paused = try await call("POST", "/api/v1/scheduler/pause")
        #expect((paused.2 as? [String: Any])?["paused"] as? Bool == true)
        let status2 = try TockProcess.run(["scheduler", "status", "--json", "--backend", "sqlite:\(database)"], in: directory)
        #expect(status2.stdout.contains("\"paused\" : true"))
        let resumed = try await call("POST", "/api/v1/scheduler/resume")
        #expect((resumed.2 as? [String: Any])?["paused"] as? Bool == false)
        #expect(((resumed.2 as? [String: Any])?["next"] as? [Any])?.count == 5)
    }

    /// SIGHUP re-reads the schedule files: a new event is served, a broken file keeps the
    /// previous schedule.
    @Test func sighupReReadsTheScheduleFiles() async throws {
        let schedules = directory.appendingPathComponent("schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        let file = schedules.appendingPathComponent("app.yaml")
        try "events:\n  first:\n    job: tock.noop\n    schedule: \"0 0 1 1 *\"\n".write(to: file, atomically: true, encoding: .utf8)
        try await start()
        #expect(try await call("GET", "/api/v1/events/second").0 == 404)
        try "events:\n  first:\n    job: tock.noop\n    schedule: \"0 0 1 1 *\"\n  second:\n    job: tock.noop\n    schedule: \"@daily\"\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let process = try #require(server.process)
        kill(process.processIdentifier, SIGHUP)
        var status = 0
        for _ in 0..<100 {
            status = try await call("GET", "/api/v1/events/second").0
            if status == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status == 200)
        try "events:\n  broken: [".write(to: file, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        #expect(process.isRunning)
        #expect(try await call("GET", "/api/v1/events/second").0 == 200, "a broken file replaced the schedule")
        #expect(server.serverLog.contains("reload failed"))
    }

    /// Frames of a server-sent event stream read by curl: (id, event) pairs.
    func frames(_ text: String) -> [(id: Int?, type: String)] {
        text.components(separatedBy: "\n\n").compactMap { frame in
            let lines = frame.split(separator: "\n")
            guard let type = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7) else { return nil }
            return (lines.first { $0.hasPrefix("id: ") }.flatMap { Int($0.dropFirst(4)) }, String(type))
        }
    }

    /// `GET /api/v1/jobs/ID/stream` follows one job to its end and closes; `Last-Event-ID`
    /// on `/api/v1/stream` resumes right after that event, nothing lost or repeated.
    @Test func streamsFollowAJobToItsEndAndResumeAfterLastEventID() async throws {
        try await start()
        let (_, _, body) = try await call("POST", "/api/v1/jobs", #"{"name": "tock.sleep", "args": [0.3]}"#)
        let id = try #require((body as? [String: Any])?["id"] as? String)
        let log = directory.appendingPathComponent("follow.txt")
        let follower = try TockProcess.start(
            ["-s", "-N", "--max-time", "30", "http://127.0.0.1:\(port)/api/v1/jobs/\(id)/stream"],
            executable: URL(fileURLWithPath: "/usr/bin/curl"), in: directory, log: log)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try TockProcess.run(["worker", "--burst", "--backend", "sqlite:\(database)"], in: directory).status == 0)
        #expect(await TockProcess.exit(follower, within: .seconds(20)), "the job's stream did not end after its end")
        #expect(follower.terminationStatus == 0)
        let followed = frames(try String(contentsOf: log, encoding: .utf8))
        #expect(followed.first?.type == "job")
        #expect(followed.last?.type == "finished")
        #expect(followed.map(\.type).contains("started") && followed.map(\.type).contains("progress"))

        let resumed = try TockProcess.run(
            ["-s", "-N", "--max-time", "2", "-H", "Last-Event-ID: 2", "http://127.0.0.1:\(port)/api/v1/stream"],
            executable: URL(fileURLWithPath: "/usr/bin/curl"))
        let ids = frames(resumed.stdout).compactMap(\.id)
        let last = try #require(followed.compactMap(\.id).max())
        #expect(ids == Array(3...last), "\(resumed.stdout)")
    }

    /// `/metrics`: Prometheus' text format with deployment-wide figures from the backend,
    /// also alone on `--metrics-listen`.
    @Test func metricsForTheWholeDeployment() async throws {
        let metricsPort = try RedisServer.freePort()
        try await start(["--metrics-listen", "127.0.0.1:\(metricsPort)"])
        _ = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#)
        _ = try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "queue": "long", "in": "1h"}"#)
        #expect(try TockProcess.run(["worker", "--burst", "--backend", "sqlite:\(database)"], in: directory).status == 0)
        try await Task.sleep(for: .milliseconds(1500))  // the event reader wakes within a second
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
        request.httpMethod = "GET"
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: data, as: UTF8.self)
        for line in [
            #"tock_jobs{queue="default",status="finished"} 1.0"#, #"tock_jobs{queue="long",status="scheduled"} 1.0"#,
            #"tock_job_events_total{queue="default",type="finished"} 1"#, "tock_scheduler_paused 0.0",
        ] {
            #expect(text.contains(line), "\(line) not in:\n\(text)")
        }
        let (status, _, _) = try await call("GET", "/metrics")
        #expect(status == 200)
    }

    @Test func aNonLoopbackAddressIsRefusedWithoutAuthentication() throws {
        let output = try TockProcess.run(["serve", "--listen", "0.0.0.0:\(port)", "--backend", "sqlite:\(database)"], in: directory)
        #expect(output.status == 2)
        #expect(output.stderr.contains("loopback only"), "\(output.stderr)")
    }
}
