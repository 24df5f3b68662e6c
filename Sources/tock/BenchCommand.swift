import ArgumentParser

/// `tock bench`: benchmarks whose figures go into docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Tock's speed (build with -c release for real figures).",
        subcommands: [CronBenchCommand.self]
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
            try CronBenchmark.printJSON(results)
        } else {
            var rows = [["case", "ns/next", "µs/parse", "zone table ms"]]
            rows += results.map {
                [$0.name, String(format: "%.1f", $0.nsPerNext), String(format: "%.2f", $0.usPerParse), String(format: "%.2f", $0.msPerZone)]
            }
            print(TextTable.render(rows))
        }
    }
}
