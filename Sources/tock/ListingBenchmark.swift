import ArgumentParser
import Foundation
import TockBackends
import TockCore

/// `tock bench listing`: how long a page of `status=failed&limit=50` takes with few and
/// with many jobs in the backend — the "same time with 10 or 1,000,000 jobs" promise of
/// `GET /api/v1/jobs`.
///
/// The backend is filled with complete records through ``TockCore/JobQueueBackend/enqueue(_:maxQueued:)``
/// in batches (one in ten failed, the rest finished; five names, three queues; one
/// creation time per job), then each page is read `repeats` times and the median kept.
struct ListingBenchmark {
    /// Job counts to measure at, smallest first.
    var sizes: [Int]
    var repeats = 21
    var directory: URL
    /// `redis://host:port/db` to measure Redis (a fresh key prefix per size, deleted
    /// after); `nil` for SQLite files in `directory`.
    var redisURL: String?

    func run(progress: (String) -> Void) async throws -> [QueueBenchmark.Figure] {
        var figures: [QueueBenchmark.Figure] = []
        let runID = "tockbench-listing-\(UUID().uuidString.prefix(8).lowercased())"
        let backendName = redisURL == nil ? "SQLite" : "Redis"
        for size in sizes {
            let url: String
            if let redisURL {
                url = "\(redisURL)?prefix=\(runID)-\(size):"
            } else {
                url = "sqlite:" + directory.appendingPathComponent("listing-\(size).db").path
            }
            do {
                figures += try await measure(BackendOpener.open(url), size: size, backendName: backendName, progress: progress)
                if let redisURL { await RedisBenchmark.deleteKeys(url: redisURL, prefix: runID) }
            } catch {
                if let redisURL { await RedisBenchmark.deleteKeys(url: redisURL, prefix: runID) }
                throw error
            }
        }
        return figures
    }

    /// Fills the empty `backend` with `size` jobs and times the pages.
    private func measure(
        _ backend: any TockBackend, size: Int, backendName: String, progress: (String) -> Void
    ) async throws -> [QueueBenchmark.Figure] {
        var figures: [QueueBenchmark.Figure] = []
        progress("filling \(backendName) with \(size) jobs")
        let fillClock = ContinuousClock()
        let fillStarted = fillClock.now
        try await Self.fill(backend, count: size)
        // A benchmark of empty pages would flatter: check what a page holds first.
        let failed = min(50, (size + 9) / 10)
        let probe = try await backend.page(matching: JobFilter(status: .failed, limit: 50))
        guard probe.jobs.count == failed, probe.jobs.allSatisfy({ $0.status == .failed }) else {
            throw TockError.invalidArgument("\(backendName): a page of failed jobs holds \(probe.jobs.count), expected \(failed)")
        }
        figures.append(.init(name: "\(backendName): fill \(size) jobs", value: (fillClock.now - fillStarted).seconds, unit: "s"))
        let first = try await Self.median(repeats: repeats) { _ = try await backend.page(matching: JobFilter(status: .failed, limit: 50)) }
        figures.append(.init(name: "\(backendName), \(size) jobs: status=failed limit=50, first page", value: first, unit: "ms"))
        // A page deep in the listing, from a cursor half-way down.
        let middle = JobCursor(createdAt: MicrosecondTime.microseconds(Self.created(size / 2)), id: Self.id(size / 2))
        let deep = try await Self.median(repeats: repeats) {
            _ = try await backend.page(matching: JobFilter(status: .failed, cursor: middle, limit: 50))
        }
        figures.append(.init(name: "\(backendName), \(size) jobs: status=failed limit=50, page from a cursor half-way", value: deep, unit: "ms"))
        let named = try await Self.median(repeats: repeats) { _ = try await backend.page(matching: JobFilter(name: "app.report.", limit: 50)) }
        figures.append(.init(name: "\(backendName), \(size) jobs: name=app.report. limit=50", value: named, unit: "ms"))
        return figures
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static func created(_ index: Int) -> Date { start.addingTimeInterval(Double(index) / 1000) }
    static func id(_ index: Int) -> JobID { JobID(unchecked: String(format: "bench-%09d", index)) }

    /// `count` ended jobs, one in ten failed, in batches of 5,000.
    static func fill(_ backend: any TockBackend, count: Int) async throws {
        let names = ["app.mail.send", "app.mail.bounce", "app.report.daily", "app.report.weekly", "app.sync"]
        let queues = ["short", "default", "long"]
        // One waiting job per queue, as a real queue has had: Redis lists only the queues
        // in RQ's `rq:queues`, which a job enters when it is queued.
        _ = try await backend.enqueue(
            queues.map { Job(id: JobID(unchecked: "bench-waiting-\($0)"), name: "app.sync", queue: $0, timeout: 300, createdAt: start, enqueuedAt: start, origin: "bench") },
            maxQueued: [:])
        var index = 0
        while index < count {
            let batch = (index..<min(count, index + 5000)).map { index in
                let created = created(index)
                return Job(
                    id: id(index), name: names[index % names.count], queue: queues[index % queues.count], timeout: 300,
                    status: index % 10 == 0 ? .failed : .finished, createdAt: created, enqueuedAt: created, startedAt: created,
                    endedAt: created, worker: "bench-worker", error: index % 10 == 0 ? "boom" : nil, origin: "bench")
            }
            _ = try await backend.enqueue(batch, maxQueued: [:])
            index += batch.count
        }
    }

    /// The median of `repeats` timings of `body`, in milliseconds (after one warm-up run).
    static func median(repeats: Int, _ body: () async throws -> Void) async throws -> Double {
        try await body()
        let clock = ContinuousClock()
        var timings: [Double] = []
        for _ in 0..<max(1, repeats) {
            let started = clock.now
            try await body()
            timings.append((clock.now - started).seconds * 1000)
        }
        return timings.sorted()[timings.count / 2]
    }
}

/// `tock bench listing`: a page of failed jobs at 1,000 and 1,000,000 jobs.
struct ListingBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listing",
        abstract: "Time of a status=failed page of 50 (first, and from a cursor) with few and many jobs (SQLite, or Redis with --redis-url)."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}]}.")
    var json = false

    @Option(name: .long, help: "Job counts to measure at, comma-separated.")
    var sizes = "1000,1000000"

    @Option(name: .long, help: "Measure this Redis (redis://host:port/db) instead of SQLite.")
    var redisURL: String?

    func run() async throws {
        let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...10_000_000).contains($0) }) else {
            throw ValidationError("--sizes must be job counts from 1 to 10000000, e.g. 1000,1000000; got '\(sizes)'")
        }
        try await QueueBenchmark.withScratchDirectory { directory, _ in
            let benchmark = ListingBenchmark(sizes: counts, directory: directory, redisURL: redisURL)
            try QueueBenchmark.Figure.print(
                try await benchmark.run { step in if !json { FileHandle.standardError.write(Data("… \(step)\n".utf8)) } }, json: json)
        }
    }
}
