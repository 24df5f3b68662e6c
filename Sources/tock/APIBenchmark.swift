import ArgumentParser
import Foundation
import TockBackends
import TockCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `tock bench api`: `POST /api/v1/jobs` through `tock serve` from concurrent keep-alive
/// connections (wrk), next to the same backend's `JobClient.enqueue` from as many tasks,
/// measured in one run, each on a fresh store.
struct APIBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Enqueue throughput and latency through tock serve (wrk, keep-alive) next to direct JobClient.enqueue.",
        discussion: "Needs wrk (Debian: apt-get install wrk). SQLite always; Redis too with --redis-url (keys under a run prefix, deleted after)."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}]}.")
    var json = false

    @Option(name: .long, help: "Also measure on this Redis: redis://host:port/db.")
    var redisURL: String?

    @Option(name: .long, help: "Seconds per measurement.")
    var seconds = 10

    @Option(name: .long, help: "Concurrent connections (and direct tasks).")
    var connections = 16

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: APIBenchmark.wrk) else {
            throw ValidationError("\(APIBenchmark.wrk) not found: apt-get install wrk")
        }
        let figures = try await QueueBenchmark.withScratchDirectory { directory, binary in
            var figures: [QueueBenchmark.Figure] = []
            var targets: [(String, (String) -> String)] = [("SQLite", { "sqlite:\(directory.appendingPathComponent("\($0).db").path)" })]
            let runID = "tockbench-\(UUID().uuidString.prefix(8).lowercased())"
            if let redisURL { targets.append(("Redis", { "\(redisURL)?prefix=\(runID)-\($0):" })) }
            for (label, store) in targets {
                let benchmark = APIBenchmark(
                    label: label, store: store, directory: directory, binary: binary, seconds: seconds, connections: connections)
                figures += try await benchmark.run(progress: { if !json { FileHandle.standardError.write(Data("… \($0)\n".utf8)) } })
            }
            if let redisURL { await RedisBenchmark.deleteKeys(url: redisURL, prefix: runID) }
            return figures
        }
        try QueueBenchmark.Figure.print(figures, json: json)
    }
}

struct APIBenchmark {
    static let wrk = "/usr/bin/wrk"

    var label: String
    /// A fresh store's backend URL for a phase name.
    var store: (String) -> String
    var directory: URL
    var binary: String
    var seconds: Int
    var connections: Int

    func run(progress: (String) -> Void) async throws -> [QueueBenchmark.Figure] {
        progress("\(label): JobClient.enqueue from \(connections) tasks")
        let direct = try await enqueueDirectly()
        progress("\(label): POST /api/v1/jobs from \(connections) connections (wrk), then GET /healthz (the HTTP floor)")
        let (api, floor) = try await enqueueThroughAPI()
        return [
            .init(name: "\(label): JobClient.enqueue, \(connections) tasks", value: direct, unit: "jobs/s"),
            .init(name: "\(label): POST /api/v1/jobs, \(connections) keep-alive connections", value: api.rate, unit: "jobs/s"),
            .init(name: "\(label): API ÷ direct", value: api.rate / direct * 100, unit: "%"),
            .init(name: "\(label): POST latency p50", value: api.p50, unit: "ms"),
            .init(name: "\(label): POST latency p99", value: api.p99, unit: "ms"),
            .init(name: "\(label): floor, GET /healthz, same server and connections", value: floor, unit: "req/s"),
            .init(name: "\(label): API ÷ floor", value: api.rate / floor * 100, unit: "%"),
        ]
    }

    /// Jobs per second from `connections` tasks sharing one client for `seconds`.
    func enqueueDirectly() async throws -> Double {
        let url = store("direct")
        let client = JobClient(backend: try BackendOpener.open(url), configuration: Configuration(backend: url))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        let started = clock.now
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var done = 0
                    while clock.now < deadline {
                        _ = try await client.enqueue(EnqueueRequest(name: "tock.noop"))
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / (clock.now - started).seconds
    }

    /// wrk against a `tock serve` child process on a fresh store: `POST /api/v1/jobs`, then
    /// `GET /healthz` — what the HTTP layer alone can answer on this machine, the floor
    /// under any endpoint.
    func enqueueThroughAPI() async throws -> (api: (rate: Double, p50: Double, p99: Double), floor: Double) {
        let port = Int.random(in: 20_000...40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--backend", store("api")]
        server.currentDirectoryURL = directory
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await waitUntilServing(port: port)
        let script = directory.appendingPathComponent("post.lua")
        try """
            wrk.method = "POST"
            wrk.body = '{"name": "tock.noop"}'
            wrk.headers["Content-Type"] = "application/json"
            """.write(to: script, atomically: true, encoding: .utf8)
        let output = try RedisBenchmark.output(
            of: Self.wrk,
            arguments: ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, "http://127.0.0.1:\(port)/api/v1/jobs"])
        if let failures = Self.number(after: "Non-2xx or 3xx responses:", in: output), failures > 0 {
            throw BenchmarkError("wrk: \(Int(failures)) answers were not 2xx:\n\(output)")
        }
        guard let rate = Self.number(after: "Requests/sec:", in: output), let p50 = Self.latency("50%", in: output),
            let p99 = Self.latency("99%", in: output)
        else { throw BenchmarkError("wrk printed no figures:\n\(output)") }
        let health = try RedisBenchmark.output(
            of: Self.wrk, arguments: ["-t2", "-c\(connections)", "-d\(seconds)s", "http://127.0.0.1:\(port)/healthz"])
        guard let floor = Self.number(after: "Requests/sec:", in: health) else { throw BenchmarkError("wrk printed no figures:\n\(health)") }
        return ((rate, p50, p99), floor)
    }

    func waitUntilServing(port: Int) async throws {
        let url = URL(string: "http://127.0.0.1:\(port)/readyz")!
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("tock serve did not answer on port \(port)")
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.replacingOccurrences(of: label, with: "").trimmingCharacters(in: .whitespaces))
    }

    /// A line of wrk's latency distribution, `     99%    3.21ms`, in milliseconds.
    static func latency(_ percentile: String, in text: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
            let value = line.split(separator: " ").last
        else { return nil }
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where value.hasSuffix(unit) {
            return Double(value.dropLast(unit.count)).map { $0 * factor }
        }
        return nil
    }
}
