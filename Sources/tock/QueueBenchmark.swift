import Foundation
import TockBackends
import TockCore
import TockValues

/// `tock bench queue` and `tock bench redis`: enqueue throughput, end-to-end throughput with
/// worker processes, pickup latency and idle CPU, each phase on a fresh store.
struct QueueBenchmark {
    struct Figure: Encodable {
        var name: String
        var value: Double
        var unit: String
    }

    /// Where a phase's jobs live.
    enum Target {
        /// A fresh SQLite file per phase in `directory`.
        case sqlite
        /// A fresh key prefix per phase on the Redis at this URL (`redis://host:port/db`).
        case redis(String)
    }

    var jobs: Int
    var directory: URL
    var binary: String
    var target: Target = .sqlite
    /// A run's distinct key prefixes start with this, so that they can be deleted after.
    let runID = "tockbench-\(UUID().uuidString.prefix(8).lowercased())"

    func run(progress: (String) -> Void) async throws -> [Figure] {
        var figures: [Figure] = []
        progress("enqueue, one by one")
        figures.append(try await enqueue(count: min(jobs, 5000), batchSize: 1))
        progress("enqueue, one by one from 16 tasks at once")
        figures.append(try await enqueueConcurrently(count: min(jobs, 5000) * 2, tasks: 16))
        progress("enqueue, batches of 1,000")
        figures.append(try await enqueue(count: jobs * 5, batchSize: 1000))
        for workers in [1, 4] {
            progress("end to end, \(workers) worker process\(workers == 1 ? "" : "es")")
            figures.append(try await endToEnd(workers: workers))
        }
        progress("pickup latency and idle CPU")
        figures += try await pickup(samples: 200)
        return figures
    }

    /// A client on an empty store for `phase`, and the store's backend URL.
    private func freshClient(_ phase: String) throws -> (JobClient, String) {
        let url: String
        switch target {
        case .sqlite:
            let path = directory.appendingPathComponent("\(phase).db").path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            url = "sqlite:\(path)"
        case .redis(let base):
            url = "\(base)?prefix=\(runID)-\(phase):"
        }
        return (JobClient(backend: try BackendOpener.open(url), configuration: Configuration(backend: url)), url)
    }

    private func enqueue(count: Int, batchSize: Int) async throws -> Figure {
        let (client, _) = try freshClient("enqueue-\(batchSize)")
        let clock = ContinuousClock()
        let started = clock.now
        var done = 0
        while done < count {
            let size = min(batchSize, count - done)
            let requests = (0..<size).map { _ in EnqueueRequest(name: "tock.noop") }
            if size == 1 { _ = try await client.enqueue(requests[0]) } else { _ = try await client.enqueue(requests) }
            done += size
        }
        let seconds = (clock.now - started).seconds
        return Figure(name: batchSize == 1 ? "enqueue one by one" : "enqueue in batches of \(batchSize)", value: Double(count) / seconds, unit: "jobs/s")
    }

    /// Single enqueues from `tasks` concurrent tasks sharing one client (an API server's
    /// requests): what a backend's connection or lock does with concurrent callers.
    private func enqueueConcurrently(count: Int, tasks: Int) async throws -> Figure {
        let (client, _) = try freshClient("enqueue-concurrent")
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    for _ in 0..<(count / tasks) { _ = try await client.enqueue(EnqueueRequest(name: "tock.noop")) }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - started).seconds
        return Figure(name: "enqueue one by one, \(tasks) concurrent tasks", value: Double(count / tasks * tasks) / seconds, unit: "jobs/s")
    }

    private func endToEnd(workers: Int) async throws -> Figure {
        let (client, url) = try freshClient("e2e-\(workers)")
        var done = 0
        while done < jobs {
            let size = min(1000, jobs - done)
            _ = try await client.enqueue((0..<size).map { _ in EnqueueRequest(name: "tock.noop") })
            done += size
        }
        let clock = ContinuousClock()
        let started = clock.now
        let processes = try (0..<workers).map { index in try spawnWorker(url, name: "bench\(index)", burst: true) }
        for process in processes { process.waitUntilExit() }
        let seconds = (clock.now - started).seconds
        let finished = try await client.backend.queueCounts()["default"]?[.finished] ?? 0
        guard finished == jobs else {
            throw TockError.invalidArgument("end to end with \(workers) workers: \(finished) of \(jobs) jobs finished")
        }
        return Figure(name: "end to end, no-op jobs, \(workers) worker process\(workers == 1 ? "" : "es")", value: Double(jobs) / seconds, unit: "jobs/s")
    }

    /// One idle worker; jobs enqueued one at a time, each after the previous finished.
    private func pickup(samples: Int) async throws -> [Figure] {
        let (client, url) = try freshClient("pickup")
        let worker = try spawnWorker(url, name: "pickup", burst: false)
        defer {
            worker.terminate()
            worker.waitUntilExit()
        }
        while try await client.backend.workers().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(500))
        var latencies: [Double] = []
        for _ in 0..<samples {
            let job = try await client.enqueue(EnqueueRequest(name: "tock.noop")).job
            while true {
                if let stored = try await client.backend.job(job.id), stored.status == .finished, let startedAt = stored.startedAt,
                    let enqueuedAt = stored.enqueuedAt
                {
                    latencies.append(startedAt.timeIntervalSince(enqueuedAt) * 1000)
                    break
                }
                await client.backend.waitForChange(timeout: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
        }
        latencies.sort()
        // Idle CPU: the worker's user+system time over 5 s with nothing to do.
        let before = try Self.cpuSeconds(pid: worker.processIdentifier)
        try await Task.sleep(for: .seconds(5))
        let idle = (try Self.cpuSeconds(pid: worker.processIdentifier) - before) / 5 * 100
        return [
            Figure(name: "pickup latency p50 (enqueue → started, idle worker)", value: latencies[latencies.count / 2], unit: "ms"),
            Figure(name: "pickup latency p99", value: latencies[min(latencies.count - 1, latencies.count * 99 / 100)], unit: "ms"),
            Figure(name: "idle worker CPU over 5 s", value: idle, unit: "%"),
        ]
    }

    private func spawnWorker(_ url: String, name: String, burst: Bool) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["worker", "--backend", url, "--name", name, "--queue", "default"] + (burst ? ["--burst"] : [])
        process.currentDirectoryURL = directory
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// utime + stime of a process, from /proc.
    static func cpuSeconds(pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based in proc(5)).
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
