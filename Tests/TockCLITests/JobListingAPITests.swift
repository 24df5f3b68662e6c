import Foundation
import Testing
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `GET /api/v1/jobs` with filters and cursor pages, and the bulk `requeue`/`delete`,
/// through a real `tock serve` on SQLite and on a real redis-server, with jobs failed by a
/// real worker process.
@Suite(.serialized) final class JobListingAPITests {
    let directory: URL
    let port: Int
    var server: Process?
    var redis: RedisServer?
    var backend = ""

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        port = try RedisServer.freePort()
    }

    deinit {
        if let server, server.isRunning { kill(server.processIdentifier, SIGKILL) }
        redis?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts `tock serve` on `kind` (`sqlite` or `redis`).
    func start(_ kind: String) async throws {
        if kind == "redis" {
            let redis = try await RedisServer()
            self.redis = redis
            backend = redis.urlString()
        } else {
            backend = "sqlite:" + directory.appendingPathComponent("tock.db").path
        }
        let log = directory.appendingPathComponent("serve.log")
        server = try TockProcess.start(["serve", "--listen", "127.0.0.1:\(port)", "--backend", backend], in: directory, log: log)
        for _ in 0..<200 {
            if let (status, _) = try? await call("GET", "/healthz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("tock serve did not answer: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// The status and the body parsed as JSON (or `nil`).
    func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, try? JSONSerialization.jsonObject(with: data))
    }

    func enqueue(_ name: String, id: String, queue: String = "default", args: String = "[]") async throws {
        let (status, _) = try await call("POST", "/api/v1/jobs", #"{"name": "\#(name)", "id": "\#(id)", "queue": "\#(queue)", "args": \#(args)}"#)
        #expect(status == 202, "enqueue \(id)")
    }

    /// The page's ids and next cursor.
    func page(_ query: String) async throws -> (ids: [String], next: String?) {
        let (status, body) = try await call("GET", "/api/v1/jobs?" + query)
        #expect(status == 200, "GET /api/v1/jobs?\(query)")
        let object = try #require(body as? [String: Any])
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        #expect(object.keys.contains("next_cursor"))
        return (jobs.compactMap { $0["id"] as? String }, object["next_cursor"] as? String)
    }

    /// The field a 400 problem names first.
    func problemField(_ method: String, _ path: String, _ body: String? = nil) async throws -> String? {
        let (status, problem) = try await call(method, path, body)
        #expect(status == 400, "\(method) \(path) \(body ?? "")")
        return ((problem as? [String: Any])?["errors"] as? [[String: Any]])?.first?["field"] as? String
    }

    /// Runs the worker until the queues are empty.
    func drain(_ queues: String) throws {
        let worker = try TockProcess.run(["worker", "--burst", "--queue", queues, "--backend", backend], in: directory)
        #expect(worker.status == 0, "worker: \(worker.stderr)")
    }

    static var backends: [String] { RedisServer.isInstalled ? ["sqlite", "redis"] : ["sqlite"] }

    @Test(arguments: backends)
    func pagesOf50Cover250JobsOnceNewestFirst(_ kind: String) async throws {
        try await start(kind)
        for index in 0..<250 { try await enqueue("tock.noop", id: String(format: "job-%03d", index)) }
        // The default a client gets: 100 newest and a cursor.
        let first = try await page("")
        #expect(first.ids.count == 100 && first.next != nil)
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "limit=50" + (cursor.map { "&cursor=" + $0 } ?? "")
            let page = try await page(query)
            seen += page.ids
            cursor = page.next
            pages += 1
            // Jobs arriving meanwhile are newer: they never shift the pages.
            if pages == 2 { try await enqueue("tock.noop", id: "late") }
        } while cursor != nil && pages < 10
        #expect(pages == 5)
        #expect(seen.count == 250 && Set(seen).count == 250)
        // Enqueued one after another: newest first is the reverse of the enqueue order
        // (ties in the creation time are broken by id, which sorts the same way here).
        #expect(seen == (0..<250).reversed().map { String(format: "job-%03d", $0) })
        #expect(try await problemField("GET", "/api/v1/jobs?cursor=not-a-cursor") == "cursor")
        #expect(try await problemField("GET", "/api/v1/jobs?cursor=") == "cursor")
        #expect(try await problemField("GET", "/api/v1/jobs?limit=0") == "limit")
        #expect(try await problemField("GET", "/api/v1/jobs?since=yesterday") == "since")
        #expect(try await problemField("GET", "/api/v1/jobs?status=lost") == "status")
        #expect(try await problemField("GET", "/api/v1/jobs?colour=red") == "colour")
    }

    @Test(arguments: backends)
    func filtersAndBulkRequeueAndDeleteOfExactlyTheMatchingJobs(_ kind: String) async throws {
        try await start(kind)
        for index in 0..<6 { try await enqueue("tock.fail", id: "long-fail-\(index)", queue: "long", args: #"["broken \#(index)"]"#) }
        for index in 0..<3 { try await enqueue("tock.fail", id: "short-fail-\(index)", queue: "short") }
        for index in 0..<4 { try await enqueue("tock.noop", id: "long-ok-\(index)", queue: "long") }
        try drain("long,short")
        let failedLong = try await page("status=failed&queue=long")
        #expect(Set(failedLong.ids) == Set((0..<6).map { "long-fail-\($0)" }) && failedLong.next == nil)
        #expect(try await page("name=tock.no").ids.count == 4)
        #expect(try await page("origin=api&status=finished").ids.count == 4)
        #expect(try await page("origin=cli").ids.isEmpty)
        let (_, anyJob) = try await call("GET", "/api/v1/jobs/long-ok-0")
        let worker = try #require((anyJob as? [String: Any])?["worker"] as? String)
        #expect(try await page("worker=\(worker.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").ids.count == 13)
        #expect(try await page("until=2000-01-01T00:00:00Z").ids.isEmpty)
        #expect(try await page("since=2000-01-01T00:00:00.000001Z&status=failed").ids.count == 9)

        // Bulk requeue: exactly the failed jobs of `long`.
        let (status, body) = try await call("POST", "/api/v1/jobs/requeue", #"{"status": "failed", "queue": "long"}"#)
        #expect(status == 200)
        #expect((body as? [String: Any])?["count"] as? Int == 6)
        #expect(Set(try await page("status=queued").ids) == Set((0..<6).map { "long-fail-\($0)" }))
        #expect(try await page("status=failed").ids.count == 3, "the failed jobs of short are untouched")
        #expect(try await page("status=finished").ids.count == 4)
        // The per-job route still answers on its own path.
        #expect(try await call("POST", "/api/v1/jobs/short-fail-0/requeue").0 == 200)

        // Bulk delete needs criteria, or "all": true.
        #expect(try await problemField("POST", "/api/v1/jobs/delete", "{}") == "all")
        #expect(try await problemField("POST", "/api/v1/jobs/delete", #"{"queue": 5}"#) == "queue")
        #expect(try await problemField("POST", "/api/v1/jobs/delete", #"{"cursor": "x"}"#) == "cursor")
        let deleted = try await call("POST", "/api/v1/jobs/delete", #"{"status": "finished", "name": "tock.noop"}"#)
        #expect((deleted.1 as? [String: Any])?["count"] as? Int == 4)
        #expect(try await page("name=tock.noop").ids.isEmpty)
        #expect(try await page("").ids.count == 9)
        let all = try await call("POST", "/api/v1/jobs/delete", #"{"all": true}"#)
        #expect((all.1 as? [String: Any])?["count"] as? Int == 9)
        #expect(try await page("").ids.isEmpty)
    }

    /// The CLI's side: `tock jobs list` pages with `--cursor` from stderr, bulk
    /// `requeue`/`delete` by criteria, and the refusal of an empty bulk delete.
    @Test func cliListsPagesAndActsInBulk() throws {
        let backend = "sqlite:" + directory.appendingPathComponent("cli.db").path
        func tock(_ arguments: [String]) throws -> ProcessOutput {
            try TockProcess.run(arguments + ["--backend", backend], in: directory)
        }
        for index in 0..<5 { #expect(try tock(["enqueue", "tock.fail", "--queue", "long", "--id", "fail-\(index)"]).status == 0) }
        for index in 0..<3 { #expect(try tock(["enqueue", "tock.noop", "--id", "ok-\(index)"]).status == 0) }
        #expect(try tock(["worker", "--burst", "--queue", "long,default"]).status == 0)
        // Pages of 2 by name prefix, following the cursor printed on stderr.
        var seen: [String] = []
        var arguments = ["jobs", "list", "--name", "tock.fa", "--limit", "2", "--json"]
        for _ in 0..<5 {
            let page = try tock(arguments)
            #expect(page.status == 0, "\(page.stderr)")
            let jobs = try #require(try JSONSerialization.jsonObject(with: Data(page.stdout.utf8)) as? [[String: Any]])
            seen += jobs.compactMap { $0["id"] as? String }
            guard let line = page.stderr.split(separator: "\n").first(where: { $0.hasPrefix("more jobs follow: --cursor ") }) else { break }
            arguments = ["jobs", "list", "--name", "tock.fa", "--limit", "2", "--json", "--cursor", String(line.split(separator: " ").last!)]
        }
        #expect(seen == ["fail-4", "fail-3", "fail-2", "fail-1", "fail-0"])
        let badCursor = try tock(["jobs", "list", "--cursor", "nope"])
        #expect(badCursor.status != 0 && badCursor.stderr.contains("cursor"))
        // Bulk requeue of the failed jobs created since the third.
        let third = try JSONSerialization.jsonObject(with: Data(try tock(["jobs", "show", "fail-2", "--json"]).stdout.utf8)) as? [String: Any]
        let since = try #require(third?["created_at"] as? String)
        let requeued = try tock(["jobs", "requeue", "--failed", "--queue", "long", "--since", since])
        #expect(requeued.stdout == "requeued 3 failed jobs\n", "\(requeued.stderr)")
        let refused = try tock(["jobs", "delete"])
        #expect(refused.status != 0 && refused.stderr.contains("--all"))
        let deleted = try tock(["jobs", "delete", "--status", "finished"])
        #expect(deleted.stdout == "deleted 3 jobs\n")
        let all = try tock(["jobs", "delete", "--all"])
        #expect(all.stdout == "deleted 5 jobs\n")
    }
}
