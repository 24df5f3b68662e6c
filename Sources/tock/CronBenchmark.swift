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

    struct Result: Encodable {
        var name: String
        var nsPerNext: Double
        var usPerParse: Double
        var msPerZone: Double
        var checksum: Int

        enum CodingKeys: String, CodingKey {
            case name, nsPerNext = "ns_per_next", usPerParse = "us_per_parse", msPerZone = "ms_per_zone_table"
        }
    }

    func measure(iterations: Int, repeats: Int) throws -> Result {
        let clock = ContinuousClock()
        var bestZone = Double.infinity
        var zone = CronTimeZone.utc
        for _ in 0..<max(1, repeats) {
            let started = clock.now
            zone = CronTimeZone(identifier: self.zone)!
            bestZone = min(bestZone, (clock.now - started).seconds * 1e3)
        }

        let parses = max(1, iterations / 50)
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
        var bestNext = Double.infinity
        for _ in 0..<max(1, repeats) {
            var cursor = origin
            let started = clock.now
            for _ in 0..<iterations {
                guard let next = schedule.next(after: cursor) else { cursor = origin; continue }
                cursor = next
            }
            bestNext = min(bestNext, (clock.now - started).seconds * 1e9 / Double(iterations))
            checksum &+= Int(cursor.timeIntervalSince1970)
        }
        return Result(name: name, nsPerNext: bestNext, usPerParse: bestParse, msPerZone: bestZone, checksum: checksum)
    }

    static func printJSON(_ results: [Result]) throws {
        struct Report: Encodable { var results: [Result] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(Report(results: results)), as: UTF8.self))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
