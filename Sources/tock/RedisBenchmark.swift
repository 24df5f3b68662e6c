import Foundation
import TockRedis

/// `tock bench redis`: the job-system figures of ``QueueBenchmark`` on a Redis, next to
/// Python RQ 2.12's on the same server in the same run (`bench/rq_peers.py`).
struct RedisBenchmark {
    /// `redis://host:port/db`; the benchmark's keys get their own prefixes and are deleted after.
    var url: String
    var jobs: Int
    var directory: URL
    var binary: String
    /// `bench/rq_peers.py`, or nil to skip RQ.
    var peersScript: String?

    struct Report: Encodable {
        var results: [QueueBenchmark.Figure]
        /// RQ's figures as `bench/rq_peers.py` printed them.
        var rq: [String: Double]
    }

    func run(progress: (String) -> Void) async throws -> Report {
        let benchmark = QueueBenchmark(jobs: jobs, directory: directory, binary: binary, target: .redis(url))
        var figures: [QueueBenchmark.Figure]
        do {
            figures = try await benchmark.run(progress: progress)
            await Self.deleteKeys(url: url, prefix: benchmark.runID)
        } catch {
            await Self.deleteKeys(url: url, prefix: benchmark.runID)
            throw error
        }
        progress("round trip (PING) through a connection")
        figures.append(try await roundTrip())
        progress("floor: hiredis called directly, no Tock")
        figures += try await floor(prefix: "\(benchmark.runID)-floor:")
        await Self.deleteKeys(url: url, prefix: benchmark.runID)
        var rq: [String: Double] = [:]
        if let peersScript {
            progress("Python RQ 2.12 (bench/rq_peers.py)")
            rq = try runPeers(peersScript)
            figures += ratios(figures, rq)
        }
        return Report(results: figures, rq: rq)
    }

    /// The floor under every single call: one `PING` through a ``TockRedis/RedisConnection``
    /// (its thread, hiredis, the server), one after another.
    private func roundTrip() async throws -> QueueBenchmark.Figure {
        let connection = RedisConnection(url: try RedisURL(url))
        for _ in 0..<100 { _ = try await connection.send(["PING"]) }
        let count = 5000
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<count { _ = try await connection.send(["PING"]) }
        let microseconds = (clock.now - started).seconds * 1_000_000 / Double(count)
        await connection.close()
        return QueueBenchmark.Figure(name: "round trip, PING one after another", value: microseconds, unit: "µs")
    }

    /// What any client could do here (``RedisFloor``).
    private func floor(prefix: String) async throws -> [QueueBenchmark.Figure] {
        let figures = try await RedisFloor(url: try RedisURL(url), prefix: prefix).run()
        return [
            .init(name: "floor: round trip, PING one after another, hiredis direct", value: figures.pingMicroseconds, unit: "µs"),
            .init(name: "floor: a job's writes one by one, hiredis direct", value: figures.oneByOnePerSecond, unit: "jobs/s"),
            .init(name: "floor: a job's writes in pipelines of 1000, hiredis direct", value: figures.batchPerSecond, unit: "jobs/s"),
            .init(
                name: "floor: the same with EXISTS and an event XADD per job", value: figures.batchWithEventPerSecond, unit: "jobs/s"),
        ]
    }

    /// Tock's figure over RQ's for each pair the issue compares.
    private func ratios(_ figures: [QueueBenchmark.Figure], _ rq: [String: Double]) -> [QueueBenchmark.Figure] {
        func tock(_ name: String) -> Double? { figures.first { $0.name == name }?.value }
        let pairs: [(String, String, String)] = [
            ("enqueue one by one vs Queue.enqueue", "enqueue one by one", "enqueue_one_by_one_per_s"),
            ("enqueue one by one from 16 tasks vs Queue.enqueue", "enqueue one by one, 16 concurrent tasks", "enqueue_one_by_one_per_s"),
            ("enqueue in batches vs Queue.enqueue_many", "enqueue in batches of 1000", "enqueue_many_per_s"),
            ("1 worker vs rq worker", "end to end, no-op jobs, 1 worker process", "worker_per_s"),
            ("1 worker vs rq worker (SimpleWorker)", "end to end, no-op jobs, 1 worker process", "simple_worker_per_s"),
            ("pickup p50, RQ SimpleWorker's over Tock's", "pickup latency p50 (enqueue → started, idle worker)", "pickup_p50_ms"),
            // The most any client could reach on this machine, for the enqueue targets.
            ("floor one by one vs Queue.enqueue", "floor: a job's writes one by one, hiredis direct", "enqueue_one_by_one_per_s"),
            ("floor in pipelines vs Queue.enqueue_many", "floor: a job's writes in pipelines of 1000, hiredis direct", "enqueue_many_per_s"),
            ("floor with EXISTS and event vs Queue.enqueue_many", "floor: the same with EXISTS and an event XADD per job", "enqueue_many_per_s"),
        ]
        return pairs.compactMap { name, tockName, rqKey in
            guard let mine = tock(tockName), let theirs = rq[rqKey], theirs > 0 else { return nil }
            if rqKey.hasPrefix("pickup") { return QueueBenchmark.Figure(name: "ratio: \(name)", value: theirs / mine, unit: "×") }
            return QueueBenchmark.Figure(name: "ratio: \(name)", value: mine / theirs, unit: "×")
        }
    }

    /// Runs the RQ benchmark with the virtualenv `scripts/rq-venv` makes.
    private func runPeers(_ script: String) throws -> [String: Double] {
        let scriptsDirectory = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/rq-venv").path
        let python = try Self.output(of: scriptsDirectory, arguments: []).trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try Self.output(of: python, arguments: [script, "--url", url])
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw BenchmarkError("bench/rq_peers.py printed no JSON object")
        }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// Runs a program to its end; its standard output (a nonzero exit is an error).
    static func output(of executable: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("\(executable) \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Deletes every key under the run's prefixes.
    static func deleteKeys(url: String, prefix: String) async {
        guard let redisURL = try? RedisURL(url) else { return }
        let connection = RedisConnection(url: redisURL)
        var cursor = "0"
        repeat {
            guard let reply = try? await connection.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument("\(prefix)*"), "COUNT", "1000"]),
                let parts = reply.array, parts.count == 2
            else { break }
            cursor = parts[0].string ?? "0"
            let keys = parts[1].array?.compactMap(\.string) ?? []
            if !keys.isEmpty { _ = try? await connection.send(["UNLINK"] + keys.map { RedisArgument($0) }) }
        } while cursor != "0"
        await connection.close()
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
