import Foundation
import TockCron

/// One benchmark case of `tock bench cron`.
struct CronBenchmark {
    var expression: String
    var zone: String
    var name: String { "\(expression) \(zone)" }

    static let standardCases = [
        CronBenchmark(expression: "*/5 * * * *", zone: "UTC"),
        CronBenchmark(expression: "*/5 * * * *", zone: "Europe/Berlin"),
        CronBenchmark(expression: "0 0 29 2 1", zone: "UTC"),
        CronBenchmark(expression: "0 0 * 2 mon#5", zone: "UTC"),
        CronBenchmark(expression: "30 2 * * *", zone: "Europe/Berlin"),
        CronBenchmark(expression: "*/10 * * * * *", zone: "UTC"),
    ]

    /// 9000-01-01T00:00:00Z: Python's datetime ends at 9999, so the peers stop here.
    static let end = Date(timeIntervalSince1970: 221_845_392_000)

    struct Result: Encodable {
        var name: String
        var nsPerNext: Double
        var usPerParse: Double
        var msPerZone: Double
        /// Heap allocations per `next()`; `nil` unless bench/malloc-count.c is preloaded.
        var allocationsPerNext: Double?
        var checksum: Int

        enum CodingKeys: String, CodingKey {
            case name, nsPerNext = "ns_per_next", usPerParse = "us_per_parse", msPerZone = "ms_per_zone_table"
            case allocationsPerNext = "allocations_per_next"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(nsPerNext, forKey: .nsPerNext)
            try container.encode(usPerParse, forKey: .usPerParse)
            try container.encode(msPerZone, forKey: .msPerZone)
            try container.encode(allocationsPerNext, forKey: .allocationsPerNext)
        }
    }

    func measure(iterations: Int, parses: Int, repeats: Int) throws -> Result {
        let clock = ContinuousClock()
        var bestZone = Double.infinity
        var zone = CronTimeZone.utc
        for _ in 0..<max(1, repeats) {
            let started = clock.now
            zone = CronTimeZone(identifier: self.zone)!
            bestZone = min(bestZone, (clock.now - started).seconds * 1e3)
        }

        var bestParse = Double.infinity
        var checksum = 0
        for _ in 0..<max(1, repeats) {
            let started = clock.now
            for _ in 0..<parses {
                checksum &+= try CronExpression(expression).hasSeconds ? 1 : 0
            }
            bestParse = min(bestParse, (clock.now - started).seconds * 1e6 / Double(parses))
        }

        // Each next() starts where the previous one ended, so none can be skipped.
        let schedule = CronSchedule(try CronExpression(expression), timeZone: zone)
        let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        var warmUp = origin
        for _ in 0..<1000 { warmUp = schedule.next(after: warmUp) ?? origin }  // one-time runtime set-up
        checksum &+= Int(warmUp.timeIntervalSince1970)
        var bestNext = Double.infinity
        let counter = AllocationCounter()
        var allocations: UInt = 0
        for _ in 0..<max(1, repeats) {
            var cursor = origin
            let allocationsBefore = counter?.count ?? 0
            let started = clock.now
            // Runs of 1000 fires from the same start (and none past the year 9000), as
            // bench/cron_peers.py measures croniter and cronsim.
            for iteration in 0..<iterations {
                guard let next = schedule.next(after: cursor), next < Self.end, iteration % 1000 != 999 else {
                    cursor = origin
                    continue
                }
                cursor = next
            }
            bestNext = min(bestNext, (clock.now - started).seconds * 1e9 / Double(iterations))
            allocations = max(allocations, (counter?.count ?? 0) - allocationsBefore)
            checksum &+= Int(cursor.timeIntervalSince1970)
        }
        return Result(
            name: name, nsPerNext: bestNext, usPerParse: bestParse, msPerZone: bestZone,
            allocationsPerNext: counter.map { _ in Double(allocations) / Double(iterations) }, checksum: checksum)
    }

}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
