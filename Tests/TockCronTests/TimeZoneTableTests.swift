import Foundation
import Testing
import TockCron

@Suite struct TimeZoneTableTests {
    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Beirut", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia", "Africa/Casablanca"])
    func offsetsMatchFoundation(_ name: String) throws {
        let table = try #require(CronTimeZone(identifier: name))
        let foundation = try #require(TimeZone(identifier: name))
        var generator = SplitMix(seed: 42)
        for _ in 0..<5000 {
            let instant = Int(generator.next() % 4_102_444_800)  // 1970–2100
            let expected = foundation.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
            #expect(table.offset(at: instant) == expected, "\(name) at \(instant)")
            if table.offset(at: instant) != expected { return }
        }
    }

    @Test func unknownZoneIsNil() {
        #expect(CronTimeZone(identifier: "Mars/Olympus_Mons") == nil)
    }

    @Test func wallTimeRoundTrips() throws {
        let berlin = try #require(CronTimeZone(identifier: "Europe/Berlin"))
        // 02:30 does not exist on 2026-03-29: the first instant after the gap is 03:00 CEST.
        let gap = berlin.instant(showing: LocalTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30))
        #expect(berlin.localTime(at: gap).iso8601 == "2026-03-29T03:00:00+02:00")
        // 02:30 happens twice on 2026-10-25: the first is CEST.
        let twice = berlin.instant(showing: LocalTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30))
        #expect(berlin.localTime(at: twice).iso8601 == "2026-10-25T02:30:00+02:00")
        #expect(CronTimeZone.utcISO8601(twice) == "2026-10-25T00:30:00Z")
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
