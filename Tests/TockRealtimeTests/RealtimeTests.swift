import Foundation
import HummingbirdWSClient
import Logging
import Testing
import TockCore
import TockRedis
import TockSQLite
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The realtime API (`GET /api/v1/stream`, `GET /api/v1/ws`) with separate processes:
/// `tock serve`, `tock worker`s, and clients (curl for SSE; a WebSocket client in the test
/// process). What the clients receive is compared with the backend's event log itself.
@Suite(.serialized) final class RealtimeTests {
    let directory: URL
    let port: Int
    var children: [Process] = []
    var redis: RedisServer?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-realtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try RedisServer.freePort()
    }

    deinit {
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        redis?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    enum Kind: String, CaseIterable, Sendable {
        case sqlite, redis
    }

    /// The backend URL for `kind`, starting a redis-server for Redis; `nil` when it is not installed.
    func backend(_ kind: Kind) async throws -> String? {
        switch kind {
        case .sqlite: return "sqlite:\(directory.appendingPathComponent("tock.db").path)"
        case .redis:
            guard RedisServer.isInstalled else { return nil }
            let server = try await RedisServer()
            redis = server
            return server.urlString()
        }
    }

    /// The event log itself, read through the backend library (not through the API).
    func log(_ url: String) async throws -> [JobEvent] {
        let backend: any TockBackend =
            url.hasPrefix("sqlite:") ? try SQLiteBackend(path: String(url.dropFirst(7))) : RedisBackend(url: try RedisURL(url))
        var events: [JobEvent] = []
        while true {
            let page = try await backend.events(after: events.last?.cursor ?? 0, limit: 5_000)
            if page.isEmpty { return events }
            events += page
        }
    }

    func serve(_ url: String, _ extra: [String] = []) async throws {
        let log = directory.appendingPathComponent("serve.log")
        children.append(try ChildProcess.start(["serve", "--listen", "127.0.0.1:\(port)", "--backend", url] + extra, in: directory, log: log))
        for _ in 0..<300 {
            if (try? await call("GET", "/healthz"))?.0 == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("tock serve did not answer: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func worker(_ url: String, _ number: Int) throws {
        children.append(try ChildProcess.start(
            ["worker", "--backend", url, "--name", "realtime-\(number)"], in: directory,
            log: directory.appendingPathComponent("worker-\(number).log")))
    }

    func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, Any?) {
        try await Self.call(port: port, method, path, body)
    }

    static func call(port: Int, _ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data))
    }

    /// One SSE frame as a client dispatches it.
    struct Frame: Equatable {
        var id: Int64?
        var type: String
        var job: String?
    }

    /// The frames a client dispatched from `text`: complete ones only (a frame cut by a
    /// disconnect is not dispatched, as EventSource does).
    static func frames(_ text: String) -> [Frame] {
        var pieces = text.components(separatedBy: "\n\n")
        pieces.removeLast()  // after the last blank line: incomplete, or empty
        return pieces.compactMap { piece in
            let lines = piece.split(separator: "\n")
            guard let type = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7) else { return nil }
            let data = lines.first { $0.hasPrefix("data: ") }.flatMap {
                try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any]
            }
            let id = lines.first { $0.hasPrefix("id: ") }.flatMap { Int64($0.dropFirst(4)) }
            return Frame(id: id, type: String(type), job: (data?["job"] ?? data?["id"]) as? String)
        }
    }

    /// `curl -N` on `path` for at most `seconds`, with `Last-Event-ID` when given.
    func curl(_ path: String, lastEventID: Int64? = nil, seconds: Double, extra: [String] = []) throws -> ProcessOutput {
        try ChildProcess.run(
            ["-s", "-N", "--max-time", String(format: "%.2f", seconds)] + (lastEventID.map { ["-H", "Last-Event-ID: \($0)"] } ?? [])
                + extra + ["http://127.0.0.1:\(port)\(path)"],
            executable: ChildProcess.curl, in: directory)
    }

    /// Enqueues `count` jobs through the API; their ids.
    static func enqueue(port: Int, _ count: Int, name: String = "tock.noop", args: String = "[]") async throws -> [String] {
        var ids: [String] = []
        for _ in 0..<count {
            let (status, body) = try await call(port: port, "POST", "/api/v1/jobs", #"{"name": "\#(name)", "args": \#(args)}"#)
            #expect(status == 202)
            if let id = (body as? [String: Any])?["id"] as? String { ids.append(id) }
        }
        return ids
    }

    func waitUntilFinished(_ url: String, jobs: Int, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let ended = try await log(url).filter { $0.status.isTerminal }.count
            if ended >= jobs { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("the workers did not finish \(jobs) jobs within \(limit)")
    }

    /// The issue's test: a 500-job run while an SSE client disconnects at random points and
    /// reconnects with `Last-Event-ID`: it gets every event of the log exactly once, in
    /// order; then a WebSocket client, also disconnecting and resuming with `after`, gets the
    /// same sequence. API, workers and clients are separate processes, on SQLite and Redis.
    @Test(arguments: Kind.allCases)
    func aClientThatReconnectsAtRandomGetsEveryEventOnceInOrder(_ kind: Kind) async throws {
        guard let url = try await backend(kind) else { return }
        try await serve(url)
        try worker(url, 1)
        try worker(url, 2)
        var generator = SystemRandomNumberGenerator()
        var received: [Frame] = []
        var connections = 0
        // The client reads concurrently with the run: curl processes, each cut at a random time.
        let apiPort = port
        async let enqueued = Self.enqueue(port: apiPort, 500, name: "tock.sleep", args: "[0.01]")
        var jobsDone = false
        var newest: Int64 = -1
        while received.last?.id != newest {
            let output = try curl(
                "/api/v1/stream", lastEventID: received.last?.id ?? 0, seconds: Double.random(in: 0.05...0.5, using: &generator))
            received += Self.frames(output.stdout)
            connections += 1
            if !jobsDone, try await log(url).filter(\.status.isTerminal).count >= 500 { jobsDone = true }
            if jobsDone { newest = try await log(url).last?.cursor ?? 0 }
            if connections > 2_000 { break }
        }
        #expect(try await enqueued.count == 500)
        let expected = try await log(url)
        #expect(expected.count >= 1_500, "enqueued, started and finished for 500 jobs")
        #expect(connections > 3, "the client reconnected \(connections - 1) times")
        #expect(!received.contains { $0.type == "reset" })
        #expect(received.map(\.id) == expected.map(\.cursor), "ids lost, repeated or out of order")
        #expect(
            received.map { Frame(id: $0.id, type: $0.type, job: $0.job) }
                == expected.map { Frame(id: $0.cursor, type: JobJSON.type($0), job: $0.job.rawValue) })

        // The WebSocket: the same sequence, over a few connections resuming with `after`.
        var messages: [Frame] = []
        while messages.last?.id != expected.last?.cursor {
            let after = messages.last?.id ?? 0
            let remaining = expected.filter { $0.cursor > after }.count
            let wanted = min(remaining, Int.random(in: 100...900, using: &generator))
            messages += try await webSocket(#"{"subscribe": {"after": \#(after)}}"#, count: wanted)
        }
        #expect(messages == received, "the WebSocket's sequence differs from the log's")
    }

    /// `Last-Event-ID` older than the log keeps: `event: reset` (with the id it goes on
    /// after), then what the log has; newer than the log (it was recreated): a reset to its
    /// newest; not a cursor: 400. Bad filters are 400 naming the field.
    @Test func anIdPastTheLogsHorizonIsAResetAndBadInputIs400() async throws {
        let url = try #require(try await backend(.sqlite))
        try await serve(url)
        _ = try await Self.enqueue(port: port, 10)
        // Prune the log as the backend does (keeping the newest 4 events of 10), and start
        // the API process again: a running one still holds the newest events it read, and
        // serves them rather than a reset.
        let first = children.removeLast()
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        _ = try await SQLiteBackend(path: String(url.dropFirst(7)), options: .init(eventsKept: 4)).purgeExpired(now: Date())
        try await serve(url)
        let frames = Self.frames(try curl("/api/v1/stream", lastEventID: 2, seconds: 1.5).stdout)
        #expect(frames.first == Frame(id: 6, type: "reset", job: nil))
        #expect(frames.dropFirst().map(\.id) == [7, 8, 9, 10])
        let future = Self.frames(try curl("/api/v1/stream", lastEventID: 500, seconds: 1).stdout)
        #expect(future == [Frame(id: 10, type: "reset", job: nil)])
        let resumed = Self.frames(try curl("/api/v1/stream", lastEventID: 8, seconds: 1).stdout)
        #expect(resumed.map(\.id) == [9, 10], "no reset when nothing was missed")

        let bad = try curl("/api/v1/stream", seconds: 2, extra: ["-H", "Last-Event-ID: yesterday", "-w", "\n%{http_code}"])
        #expect(bad.stdout.hasSuffix("\n400") && bad.stdout.contains("Last-Event-ID"))
        let types = try await call("GET", "/api/v1/stream?types=finished,exploded")
        #expect(types.0 == 400)
        #expect((((types.1 as? [String: Any])?["errors"] as? [[String: Any]])?.first?["field"] as? String) == "types")
        #expect(try await call("GET", "/api/v1/stream?job=has%20space").0 == 400)
        #expect(try await call("GET", "/api/v1/jobs/nope/stream").0 == 404)
    }

    /// A job's stream ends after its terminal event; for a job that had ended, at once
    /// (with `Last-Event-ID`, after replaying what the client missed). The `name` and
    /// `types` filters.
    @Test func aJobsStreamEndsAfterItsEndAndFiltersSelect() async throws {
        let url = try #require(try await backend(.sqlite))
        try await serve(url)
        let ids = try await Self.enqueue(port: port, 3)
        let sleeper = try #require(try await Self.enqueue(port: port, 1, name: "tock.sleep", args: "[0.3]").first)
        let follower = try ChildProcess.start(
            ["-s", "-N", "--max-time", "30", "http://127.0.0.1:\(port)/api/v1/jobs/\(sleeper)/stream"], executable: ChildProcess.curl,
            in: directory, log: directory.appendingPathComponent("follow.txt"))
        children.append(follower)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try ChildProcess.run(["worker", "--burst", "--backend", url], in: directory).status == 0)
        let deadline = ContinuousClock.now + .seconds(20)
        while follower.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!follower.isRunning, "the job's stream did not end after its end")
        let followed = Self.frames(try String(contentsOf: directory.appendingPathComponent("follow.txt"), encoding: .utf8))
        #expect(followed.first?.type == "job" && followed.last?.type == "finished")
        #expect(followed.allSatisfy { $0.job == sleeper })

        // Ended already: the job as it stands, and the end of the stream.
        let ended = try curl("/api/v1/jobs/\(ids[0])/stream", seconds: 10)
        #expect(ended.status == 0, "curl timed out: the stream of an ended job did not end")
        #expect(Self.frames(ended.stdout).map(\.type) == ["job"])
        let replayed = try curl("/api/v1/jobs/\(ids[0])/stream", lastEventID: 0, seconds: 10)
        #expect(replayed.status == 0)
        #expect(Self.frames(replayed.stdout).map(\.type) == ["job", "enqueued", "started", "finished"])

        let onlyProgress = try curl("/api/v1/jobs/\(sleeper)/stream?types=progress", lastEventID: 0, seconds: 10)
        #expect(onlyProgress.status == 0, "a job's stream showing only progress did not end with the job")
        let shown = Self.frames(onlyProgress.stdout).map(\.type)
        #expect(shown.first == "job" && shown.count >= 3 && shown.dropFirst().allSatisfy { $0 == "progress" }, "\(shown)")

        let named = Self.frames(try curl("/api/v1/stream?name=tock.sleep", lastEventID: 0, seconds: 1).stdout)
        #expect(!named.isEmpty && named.allSatisfy { $0.job == sleeper })
        let typed = Self.frames(try curl("/api/v1/stream?types=finished,progress", lastEventID: 0, seconds: 1).stdout)
        #expect(Set(typed.map(\.type)) == ["finished", "progress"])
        #expect(typed.filter { $0.type == "finished" }.count == 4)
    }

    /// An idle stream gets a comment line every 15 s (proxies close silent connections).
    @Test func anIdleStreamGetsKeepAlives() async throws {
        let url = try #require(try await backend(.sqlite))
        try await serve(url)
        let output = try curl("/api/v1/stream", seconds: 17)
        #expect(output.stdout.contains(": keep-alive\n\n"))
    }

    /// The WebSocket: filters, `unsubscribe`, errors that keep the connection, the query
    /// string as a first subscription, and a plain GET.
    @Test func theWebSocketSubscribesUnsubscribesAndAnswersBadMessages() async throws {
        let url = try #require(try await backend(.sqlite))
        try await serve(url)
        let ids = try await Self.enqueue(port: port, 2)
        _ = try await Self.call(port: port, "POST", "/api/v1/jobs", #"{"name": "tock.noop", "queue": "short", "id": "short-one"}"#)
        let collected = Collected()
        let clock = ContinuousClock()
        let started = clock.now
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/v1/ws", logger: Logger(label: "test")) { inbound, outbound, _ in
            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            func next() async throws -> String {
                guard case .text(let text) = try await messages.next() else { return "" }
                collected.append(text)
                return text
            }
            try await outbound.write(.text("nonsense"))
            #expect(try await next().contains(#""error""#))
            try await outbound.write(.text(#"{"subscribe": {"types": ["exploded"]}}"#))
            #expect(try await next().contains(#""field":"types""#))
            try await outbound.write(.text(#"{"subscribe": {"queue": "short", "after": 0}}"#))
            #expect(try await next().contains(#""subscribed""#))
            #expect(try await next().contains(#""job":"short-one""#))
            try await outbound.write(.text(#"{"unsubscribe": {}}"#))
            #expect(try await next().contains(#""unsubscribed""#))
            try await outbound.write(.text(#"{"subscribe": {"job": "\#(ids[1])", "after": 0}}"#))
            #expect(try await next().contains(#""subscribed""#))
            #expect(try await next().contains(ids[1]))
            try await outbound.close(.normalClosure, reason: nil)
        }
        #expect(collected.frames.map(\.job) == ["short-one", ids[1]])
        // The query string subscribes at once.
        let queried = try await webSocket("", count: 3, path: "/api/v1/ws?after=0")
        #expect(clock.now - started < .seconds(5), "the query's subscription waited for a wake-up")
        #expect(queried.map(\.id) == [1, 2, 3])
        let plain = try await call("GET", "/api/v1/ws")
        #expect(plain.0 == 426)
        #expect(try await call("GET", "/api/v1/ws?types=exploded").0 == 400)
    }

    /// Connects to `/api/v1/ws`, sends `subscribe`, and returns the first `count` event
    /// messages, then closes.
    func webSocket(_ subscribe: String, count: Int, path: String = "/api/v1/ws") async throws -> [Frame] {
        let collected = Collected()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)\(path)", logger: Logger(label: "test")) { inbound, outbound, _ in
            if !subscribe.isEmpty { try await outbound.write(.text(subscribe)) }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                collected.append(text)
                if collected.frames.count >= count { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return collected.frames
    }

    /// Messages a WebSocket client got: event frames, and everything as text.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [Frame] = []
        private var texts: [String] = []
        var frames: [Frame] { lock.withLock { events } }
        var all: [String] { lock.withLock { texts } }

        func append(_ text: String) {
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            lock.withLock {
                texts.append(text)
                guard let json, let type = json["type"] as? String else { return }
                let data = json["data"] as? [String: Any]
                events.append(Frame(id: (json["id"] as? NSNumber)?.int64Value, type: type, job: data?["job"] as? String))
            }
        }
    }
}
