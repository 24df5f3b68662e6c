import Foundation
import Testing
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `POST /api/v1/batches` and `GET /api/v1/batches/ID` against a real `tock serve` on
/// SQLite (the default) and on a real `redis-server`, with a real `tock worker`.
@Suite(.serialized) final class BatchAPITests {
    /// Where `tock serve` keeps its jobs.
    enum Store: String, CaseIterable, Sendable {
        case sqlite, redis
    }

    let api: APIServer
    var directory: URL { api.directory }
    var port: Int { api.port }
    var backend: String { api.backend }
    var server: Process? { api.process }
    var redis: RedisServer?

    init() throws {
        api = try APIServer()
    }

    deinit {
        redis?.stop()
    }

    static var stores: [Store] { RedisServer.isInstalled ? Store.allCases : [.sqlite] }

    func start(_ store: Store, _ extra: [String] = []) async throws {
        if store == .redis {
            let server = try await RedisServer()
            redis = server
            api.backend = server.urlString()
        }
        try await api.start(extra)
    }

    /// Sends a request; the status, the headers and the body parsed as JSON (or `nil`).
    func call(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:]) async throws
        -> (Int, [String: String], Any?)
    {
        let answer = try await api.call(method, path, body, headers: headers)
        return (answer.status, answer.headers, answer.body)
    }

    /// Streams `file` as an NDJSON body with curl (chunked, read as it is sent); the status
    /// and the body parsed as JSON.
    func postNDJSON(_ query: String, file: URL) throws -> (Int, [String: Any]) {
        let output = try ProcessOutput.run(
            URL(fileURLWithPath: "/usr/bin/curl"),
            [
                "-sS", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "-H", "Transfer-Encoding: chunked",
                "-T", file.path, "-w", "\n%{http_code}", "http://127.0.0.1:\(port)/api/v1/batches?\(query)",
            ], directory: directory)
        let lines = output.stdout.split(separator: "\n")
        let status = Int(lines.last ?? "") ?? 0
        let body = lines.dropLast().joined(separator: "\n")
        return (status, (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:])
    }

    func tock(_ arguments: [String]) throws -> TockProcess.Output {
        try TockProcess.run(arguments + ["--backend", backend], in: directory)
    }

    /// A server's peak resident memory so far (`VmHWM`), in kB.
    func peakMemory() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(try #require(server).processIdentifier)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try #require(Int(line.split(separator: " ").dropFirst().first ?? ""))
    }

    @Test(arguments: stores) func anInlineBatchIs202AndAWorkerRunsItToItsEnd(_ store: Store) async throws {
        try await start(store)
        let (status, headers, body) = try await call(
            "POST", "/api/v1/batches", #"{"name": "tock.noop", "chunk_size": 2, "items": [1, 2, 3, 4, 5], "id": "nov"}"#)
        #expect(status == 202)
        #expect(headers["location"] == "/api/v1/batches/nov")
        let batch = try #require(body as? [String: Any])
        #expect(batch["total"] as? Int == 3 && batch["queued"] as? Int == 3 && batch["status"] as? String == "queued")
        #expect(batch["sealed"] as? Bool == true && batch["progress"] as? Double == 0)
        let chunk = try await call("GET", "/api/v1/jobs/nov-3")
        #expect(((chunk.2 as? [String: Any])?["kwargs"] as? [String: Any])?["items"] as? [Int] == [5])
        let worker = try tock(["worker", "--burst"])
        #expect(worker.status == 0, "\(worker.stderr)")
        let (_, _, shown) = try await call("GET", "/api/v1/batches/nov")
        let ended = try #require(shown as? [String: Any])
        #expect(ended["finished"] as? Int == 3 && ended["status"] as? String == "finished")
        #expect(ended["progress"] as? Double == 100)
        #expect(ended["completed_at"] is String)
        // The same fields as `tock batch show --json`, from the same encoder.
        let cli = try tock(["batch", "show", "nov", "--json"])
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        #expect(Set(printed.keys) == Set(ended.keys))
        #expect(try await call("GET", "/api/v1/batches/nope").0 == 404)
    }

    @Test(arguments: stores) func aHundredThousandNDJSONItemsStreamWithoutBeingHeld(_ store: Store) async throws {
        try await start(store)
        // 100,000 items of ~560 bytes: a ~57 MB body. Held whole (as bytes, let alone as
        // parsed values) it would raise the server's peak memory by more than its size.
        let file = directory.appendingPathComponent("items.ndjson")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let padding = String(repeating: "x", count: 520)
        var block = ""
        for index in 1...100_000 {
            block += #"{"invoice": \#(index), "note": "\#(padding)"}"# + "\n"
            if index % 5_000 == 0 {
                try handle.write(contentsOf: Data(block.utf8))
                block = ""
            }
        }
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        let before = try peakMemory()
        let (status, batch) = try postNDJSON("name=tock.noop&chunk_size=100&id=big", file: file)
        let growth = try peakMemory() - before
        #expect(status == 202, "\(batch)")
        #expect(batch["total"] as? Int == 1000 && batch["queued"] as? Int == 1000 && batch["deferred"] as? Int == 0)
        #expect(growth * 1024 < size / 2, "peak RSS grew \(growth) kB for a \(size / 1024) kB body")
        let last = try await call("GET", "/api/v1/jobs/big-1000")
        let items = ((last.2 as? [String: Any])?["kwargs"] as? [String: Any])?["items"] as? [[String: Any]]
        #expect(items?.count == 100 && items?.last?["invoice"] as? Int == 100_000)
    }

    @Test(arguments: stores) func aMalformedLineIs400AndNothingOfTheBatchIsStored(_ store: Store) async throws {
        try await start(store)
        let file = directory.appendingPathComponent("bad.ndjson")
        // 1,500 good lines (enough for chunks to be stored), then a bad one, then more.
        let lines = (1...1_500).map { #"{"invoice": \#($0)}"# } + [#"{"invoice": 1501,"#] + (1502...1600).map { "\($0)" }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let (status, problem) = try postNDJSON("name=tock.noop&chunk_size=10&id=bad", file: file)
        #expect(status == 400)
        let errors = problem["errors"] as? [[String: Any]]
        #expect(errors?.first?["field"] as? String == "items[1500]", "\(problem)")
        #expect((errors?.first?["message"] as? String)?.contains("line 1501") == true, "\(problem)")
        #expect(try await call("GET", "/api/v1/batches/bad").0 == 404)
        // 100 chunks had been stored (a thousand items at a time) before the bad line.
        for chunk in ["bad-1", "bad-100", "bad-150"] {
            #expect(try await call("GET", "/api/v1/jobs/\(chunk)").0 == 404, "chunk \(chunk) of a refused batch")
        }
        // The id is free: the corrected batch is accepted.
        try (1...1_600).map { #"{"invoice": \#($0)}"# }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try postNDJSON("name=tock.noop&chunk_size=10&id=bad", file: file).0 == 202)
        // A line past 1 MiB is refused as it grows, not read to its end.
        try ("1\n\"" + String(repeating: "x", count: 1_100_000) + "\"\n").write(to: file, atomically: true, encoding: .utf8)
        let (long, tooLong) = try postNDJSON("name=tock.noop&chunk_size=1&id=long", file: file)
        #expect(long == 400)
        #expect((tooLong["detail"] as? String)?.contains("line 2 is longer than 1048576 bytes") == true, "\(tooLong)")
        #expect(try await call("GET", "/api/v1/batches/long").0 == 404)
        // An unknown parameter or a missing chunk size is a 400 naming it, before any item is read.
        let (unknown, named) = try postNDJSON("name=tock.noop&chunk=10", file: file)
        #expect(unknown == 400)
        let fields = (named["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields.map(Set.init) == ["chunk", "chunk_size"])
    }

    @Test(arguments: stores) func aBodyThatBreaksOffLeavesNothingToRun(_ store: Store) async throws {
        try await start(store)
        let file = directory.appendingPathComponent("slow.ndjson")
        try (1...200_000).map { #"{"invoice": \#($0)}"# }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        // A client sending slowly, cut off once the server has stored chunks of the batch.
        let client = try TockProcess.start(
            [
                "-sS", "-X", "POST", "-H", "Content-Type: application/x-ndjson", "-H", "Transfer-Encoding: chunked",
                "--limit-rate", "200k", "-T", file.path, "http://127.0.0.1:\(port)/api/v1/batches?name=tock.noop&chunk_size=10&id=cut",
            ], executable: URL(fileURLWithPath: "/usr/bin/curl"), in: directory, log: directory.appendingPathComponent("curl.log"))
        var stored = 0
        for _ in 0..<200 where stored == 0 {
            try await Task.sleep(for: .milliseconds(50))
            let (status, _, body) = try await call("GET", "/api/v1/batches/cut")
            if status == 200, let batch = body as? [String: Any] {
                #expect(batch["sealed"] as? Bool == false && batch["status"] as? String == "deferred")
                stored = batch["deferred"] as? Int ?? 0
            }
        }
        #expect(stored > 0, "no chunk was stored while the body arrived")
        // Nothing of it can run yet: its chunks wait.
        #expect((try await call("GET", "/api/v1/jobs/cut-1").2 as? [String: Any])?["status"] as? String == "deferred")
        kill(client.processIdentifier, SIGKILL)
        await TockProcess.exit(client)
        var gone = false
        for _ in 0..<200 where !gone {
            try await Task.sleep(for: .milliseconds(50))
            gone = try await call("GET", "/api/v1/batches/cut").0 == 404
        }
        #expect(gone, "the broken-off batch is still there")
        #expect(try await call("GET", "/api/v1/jobs/cut-1").0 == 404)
        let worker = try tock(["worker", "--burst"])
        #expect(worker.status == 0 && !worker.stderr.contains("job finished"), "\(worker.stderr)")
    }

    @Test(arguments: stores) func theSameIdOrIdempotencyKeyCreatesOneBatch(_ store: Store) async throws {
        try await start(store)
        let body = #"{"name": "tock.noop", "chunk_size": 1, "items": ["a", "b"]}"#
        let first = try await call("POST", "/api/v1/batches", body, headers: ["Idempotency-Key": "import-7"])
        let again = try await call("POST", "/api/v1/batches", body, headers: ["Idempotency-Key": "import-7"])
        let byID = try await call("POST", "/api/v1/batches", #"{"name": "tock.noop", "chunk_size": 1, "items": ["c"], "id": "import-7"}"#)
        #expect(first.0 == 202 && again.0 == 200 && byID.0 == 200)
        #expect(again.1["location"] == "/api/v1/batches/import-7")
        #expect((byID.2 as? [String: Any])?["total"] as? Int == 2)
        let file = directory.appendingPathComponent("again.ndjson")
        try "1\n2\n3\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try postNDJSON("name=tock.noop&chunk_size=1&id=import-7", file: file).0 == 200)
        #expect(try await call("GET", "/api/v1/jobs/import-7-2").0 == 200)
        #expect(try await call("GET", "/api/v1/jobs/import-7-3").0 == 404, "a re-post made a chunk")
    }

    @Test(arguments: stores) func countsProgressAndFirstErrorsAfterARealWorker(_ store: Store) async throws {
        let schedules = directory.appendingPathComponent("jobs.yaml")
        // A chunk with a negative item fails with that item in its error's first line.
        try """
            jobs:
              app.post:
                command: ["/bin/sh", "-c", "if grep -qE '[[,] ?-[0-9]'; then echo 'negative amount' >&2; echo 'second line' >&2; exit 1; fi"]
            """.write(to: schedules, atomically: true, encoding: .utf8)
        try await start(store, ["--schedules", schedules.path])
        let items = (1...10).map { $0 == 4 || $0 == 9 ? "-\($0)" : "\($0)" }.joined(separator: ", ")
        let (status, _, _) = try await call(
            "POST", "/api/v1/batches", #"{"name": "app.post", "chunk_size": 2, "items": [\#(items)], "id": "ledger"}"#)
        #expect(status == 202)
        let worker = try tock(["worker", "--burst", "--schedules", schedules.path])
        #expect(worker.status == 0, "\(worker.stderr)")
        let (_, _, shown) = try await call("GET", "/api/v1/batches/ledger")
        let batch = try #require(shown as? [String: Any])
        #expect(batch["total"] as? Int == 5 && batch["finished"] as? Int == 3 && batch["failed"] as? Int == 2)
        #expect(batch["status"] as? String == "failed" && batch["progress"] as? Double == 100)
        let errors = try #require(batch["errors"] as? [[String: Any]])
        #expect(Set(errors.compactMap { $0["job"] as? String }) == ["ledger-2", "ledger-5"])
        #expect(errors.allSatisfy { $0["error"] as? String == "negative amount" }, "\(errors)")
    }

    /// `tock batch` takes the same streamed path: a bad line exits 2 naming the file and
    /// line, and stores nothing; the fixed file makes the batch the API then shows.
    @Test func tockBatchStreamsItsFileAndABadLineStoresNothing() async throws {
        try await start(.sqlite)
        let file = directory.appendingPathComponent("items.jsonl")
        try ((1...2_500).map { "\($0)" } + ["{bad"]).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let refused = try tock(["batch", "tock.noop", "--items", file.path, "--chunk-size", "1", "--id", "cli"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--items \(file.path): line 2501 is not a JSON value"), "\(refused.stderr)")
        #expect(try await call("GET", "/api/v1/batches/cli").0 == 404)
        #expect(try await call("GET", "/api/v1/jobs/cli-1").0 == 404)
        try (1...2_500).map { "\($0)" }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let accepted = try tock(["batch", "tock.noop", "--items", file.path, "--chunk-size", "1", "--id", "cli", "--json"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(accepted.stdout.utf8)) as? [String: Any])
        let (_, _, shown) = try await call("GET", "/api/v1/batches/cli")
        let batch = try #require(shown as? [String: Any])
        #expect(printed["total"] as? Int == 2_500 && batch["queued"] as? Int == 2_500)
        #expect(Set(printed.keys) == Set(batch.keys))
    }

    @Test func aFullQueueIs429AndKeepsNothing() async throws {
        let config = directory.appendingPathComponent("tock.yaml")
        try "queues:\n  default: {max_queued: 3}\n".write(to: config, atomically: true, encoding: .utf8)
        try await start(.sqlite, ["--config", config.path])
        let (status, headers, body) = try await call(
            "POST", "/api/v1/batches", #"{"name": "tock.noop", "chunk_size": 1, "items": [1, 2, 3, 4], "id": "full"}"#)
        #expect(status == 429)
        #expect(headers["retry-after"] == "5")
        #expect(((body as? [String: Any])?["detail"] as? String)?.contains("max_queued 3") == true)
        #expect(try await call("GET", "/api/v1/batches/full").0 == 404)
        #expect(try await call("POST", "/api/v1/batches", #"{"name": "tock.noop", "chunk_size": 2, "items": [1, 2, 3, 4]}"#).0 == 202)
        // One more fills the queue; then a streamed batch is refused before its body is read.
        #expect(try await call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#).0 == 202)
        let file = directory.appendingPathComponent("more.ndjson")
        try "1\n2\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try postNDJSON("name=tock.noop&chunk_size=1&id=more", file: file).0 == 429)
        #expect(try await call("GET", "/api/v1/batches/more").0 == 404)
    }
}
