import Foundation
import Testing
@testable import TockCron

/// Runs every reference vector in `Vectors/` (made by `scripts/gen-cron-vectors.py`
/// from cronsim 2.8 and croniter 7.0): the next five fire times after each start, and
/// the previous ones where the oracle gave them.
@Suite struct VectorTests {
    struct VectorFile: Decodable {
        var oracle: String
        var cases: [Vector]
    }

    struct Vector: Decodable, CustomStringConvertible {
        var expr: String
        var zone: String
        var hash_id: String?
        var start: String
        var next: [String]
        var prev: [String]?
        var differs: String?
        var description: String { "'\(expr)' in \(zone) from \(start)" + (differs.map { " [differs: \($0)]" } ?? "") }
    }

    static let files: [String] = {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Vectors")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func load(_ name: String) throws -> VectorFile {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Vectors").appendingPathComponent(name)
        return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
    }

    @Test func thereAreAtLeastTwoThousandVectors() throws {
        let total = try Self.files.map { try Self.load($0).cases.count }.reduce(0, +)
        #expect(Self.files.count >= 4)
        #expect(total >= 2000)
    }

    @Test(arguments: files)
    func vectorFile(_ name: String) throws {
        var zones: [String: CronTimeZone] = [:]
        var failures = 0
        for vector in try Self.load(name).cases {
            let tz = zones[vector.zone] ?? zone(vector.zone)
            zones[vector.zone] = tz
            let schedule = CronSchedule(try CronExpression(vector.expr, hashKey: vector.hash_id), timeZone: tz)
            let start = parseVectorTime(vector.start)
            let next = schedule.fireTimes(after: start).prefix(vector.next.count + 1).map { local($0, tz) }
            let expectedNext = vector.next
            if Array(next.prefix(expectedNext.count)) != expectedNext || (expectedNext.count < 5 && next.count > expectedNext.count) {
                failures += 1
                if failures <= 20 { Issue.record("next of \(vector): got \(next.prefix(5)), expected \(expectedNext)") }
            }
            if let expectedPrev = vector.prev {
                let prev = schedule.fireTimes(before: start).prefix(expectedPrev.count).map { local($0, tz) }
                if prev != expectedPrev {
                    failures += 1
                    if failures <= 20 { Issue.record("previous of \(vector): got \(prev), expected \(expectedPrev)") }
                }
            }
        }
        #expect(failures == 0, "\(failures) vectors of \(name) failed")
    }
}

/// `2024-03-31T01:59:59.439454+01:00` → Date (fractions kept to the microsecond).
func parseVectorTime(_ text: String) -> Date {
    guard let dot = text.firstIndex(of: "."), let sign = text[dot...].firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) else {
        return instant(text)
    }
    let whole = instant(String(text[..<dot]) + String(text[sign...]))
    let fraction = Double("0" + text[dot..<sign]) ?? 0
    return whole.addingTimeInterval(fraction)
}
