import ArgumentParser
import Foundation

/// `tock bench`: benchmarks whose figures go into docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Tock's speed (build with -c release for real figures).",
        subcommands: [CronBenchCommand.self, QueueBenchCommand.self, RedisBenchCommand.self, SchedulerBenchCommand.self, APIBenchCommand.self, ListingBenchCommand.self, StreamBenchCommand.self]
    )
}

/// `tock bench cron`: ns per `next()` and µs per parse for fixed cases.
struct CronBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "ns per next() and µs per parse of the cron engine.",
        discussion: "bench/cron_peers.py runs croniter and cronsim on the same cases and writes docs/benchmarks.md."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, ns_per_next, us_per_parse}]}.")
    var json = false

    @Option(name: .long, help: "next() calls per measurement.")
    var iterations = 2_000_000

    @Option(name: .long, help: "Parses per measurement (default: iterations / 50).")
    var parses: Int?

    @Option(name: .long, help: "Repeats; the best is reported.")
    var repeats = 5

    func run() async throws {
        #if DEBUG
        if !json { print("note: this is a debug build; run `swift build -c release` for real figures\n") }
        #endif
        let results = try CronBenchmark.standardCases.map { try $0.measure(iterations: iterations, parses: parses ?? max(1, iterations / 50), repeats: repeats) }
        if json {
            try JSONOutput.print(encodable: ["results": results])
        } else {
            var rows = [["case", "ns/next", "µs/parse", "zone table ms"]]
            rows += results.map {
                [$0.name, String(format: "%.1f", $0.nsPerNext), String(format: "%.2f", $0.usPerParse), String(format: "%.2f", $0.msPerZone)]
            }
            print(TextTable.render(rows))
        }
    }
}

/// `tock bench queue`: the job system's throughput and latency on SQLite.
struct QueueBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Enqueue throughput, end-to-end throughput with 1 and 4 worker processes, pickup latency, idle CPU (SQLite)."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}]}.")
    var json = false

    @Option(name: .long, help: "Jobs per end-to-end run (batched enqueue uses 5×).")
    var jobs = 10_000

    func run() async throws {
        try await QueueBenchmark.withScratchDirectory { directory, binary in
            let benchmark = QueueBenchmark(jobs: jobs, directory: directory, binary: binary)
            try QueueBenchmark.Figure.print(try await benchmark.run(progress: progress(json: json)), json: json)
        }
    }
}

/// `tock bench redis`: the job system on Redis, side by side with Python RQ 2.12.
struct RedisBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "Enqueue, 1-worker and 4-worker throughput, pickup latency on Redis, next to Python RQ 2.12 on the same server.",
        discussion: """
            Needs a running redis-server (scripts/bench-redis starts a throwaway one). Tock's keys \
            get their own prefixes and are deleted after; RQ's figures come from bench/rq_peers.py \
            in the virtualenv scripts/rq-venv makes. Run from the repository's root.
            """
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}], \"rq\": {…}}.")
    var json = false

    @Option(name: .long, help: "The Redis to measure on: redis://host:port/db.")
    var url: String

    @Option(name: .long, help: "Jobs per end-to-end run (batched enqueue uses 5×).")
    var jobs = 10_000

    @Flag(name: .long, help: "Leave Python RQ out.")
    var skipRQ = false

    func run() async throws {
        let script = "bench/rq_peers.py"
        if !skipRQ, !FileManager.default.fileExists(atPath: script) {
            throw ValidationError("\(script) not found: run from the repository's root, or pass --skip-rq")
        }
        let report = try await QueueBenchmark.withScratchDirectory { directory, binary in
            let benchmark = RedisBenchmark(url: url, jobs: jobs, directory: directory, binary: binary, peersScript: skipRQ ? nil : script)
            return try await benchmark.run(progress: progress(json: json))
        }
        if json {
            try JSONOutput.print(encodable: report)
        } else {
            try QueueBenchmark.Figure.print(report.results, json: false)
            if !report.rq.isEmpty {
                print(TextTable.render([["Python RQ 2.12", "value"]] + report.rq.sorted { $0.key < $1.key }.map { [$0.key, String(format: "%.2f", $0.value)] }))
            }
        }
    }
}

/// `tock bench scheduler`: many events, simultaneous fires, idle CPU.
struct SchedulerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Load time and memory for many events, lateness of 1,000 simultaneous fires, idle CPU."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}]}.")
    var json = false

    @Option(name: .long, help: "Events to load.")
    var events = 100_000

    @Option(name: .long, help: "Seconds to measure idle CPU over.")
    var idleSeconds = 60

    func run() async throws {
        try await QueueBenchmark.withScratchDirectory { directory, _ in
            let benchmark = SchedulerBenchmark(events: events, idleSeconds: idleSeconds, directory: directory)
            try QueueBenchmark.Figure.print(try await benchmark.run(progress: progress(json: json)), json: json)
        }
    }
}

/// Progress lines on stderr, unless the output is JSON.
private func progress(json: Bool) -> (String) -> Void {
    { step in if !json { FileHandle.standardError.write(Data("… \(step)\n".utf8)) } }
}

extension QueueBenchmark {
    /// Runs `body` with a fresh temporary directory, deleted after, and the path of this
    /// `tock` binary (for the worker processes the benchmark starts).
    static func withScratchDirectory<T>(_ body: (URL, String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory, try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    }
}

extension QueueBenchmark.Figure {
    /// Prints figures as `{"results": [{name, value, unit}]}` or as a table.
    static func print(_ figures: [QueueBenchmark.Figure], json: Bool) throws {
        if json {
            try JSONOutput.print(encodable: ["results": figures])
        } else {
            Swift.print(TextTable.render([["measure", "value", "unit"]] + figures.map { [$0.name, String(format: "%.2f", $0.value), $0.unit] }))
        }
    }
}
