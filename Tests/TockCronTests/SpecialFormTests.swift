import Testing
import TockCron

/// Forms neither oracle has (`L-N`) or that need a hand-checked calendar.
@Suite struct SpecialFormTests {
    @Test func daysBeforeTheLastDay() throws {
        // 2026: Jan 31, Feb 28, Mar 31 days.
        #expect(try fires("0 0 L-1 * *", "UTC", from: "2026-01-01T00:00:00Z", count: 3) == [
            "2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00", "2026-03-30T00:00:00+00:00",
        ])
        #expect(try fires("0 0 L-3,L * *", "UTC", from: "2028-02-01T00:00:00Z", count: 2) == [
            "2028-02-26T00:00:00+00:00", "2028-02-29T00:00:00+00:00",
        ])
    }

    @Test func lastWeekdayAndNearestWeekday() throws {
        // 2026-05-31 is a Sunday: the last weekday is Friday the 29th.
        #expect(try fires("0 0 LW 5 *", "UTC", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-05-29T00:00:00+00:00"])
        // 2026-08-01 is a Saturday: 1W does not leave the month, so it is Monday the 3rd.
        #expect(try fires("0 0 1W 8 *", "UTC", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-08-03T00:00:00+00:00"])
        // 2026-11-15 is a Sunday: 15W is Monday the 16th.
        #expect(try fires("0 0 15W 11 *", "UTC", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-11-16T00:00:00+00:00"])
    }

    @Test func lastAndNthWeekdaysInBothSpellings() throws {
        let lastFriday = ["2026-01-30T09:00:00+00:00", "2026-02-27T09:00:00+00:00"]
        #expect(try fires("0 9 * * 5L", "UTC", from: "2026-01-01T00:00:00Z", count: 2) == lastFriday)
        #expect(try fires("0 9 * * L5", "UTC", from: "2026-01-01T00:00:00Z", count: 2) == lastFriday)
        #expect(try fires("0 9 * * friL", "UTC", from: "2026-01-01T00:00:00Z", count: 2) == lastFriday)
        #expect(try fires("0 9 ? * mon#2", "UTC", from: "2026-01-01T00:00:00Z", count: 2) == [
            "2026-01-12T09:00:00+00:00", "2026-02-09T09:00:00+00:00",
        ])
    }

    @Test func wrappingRanges() throws {
        #expect(try fires("0 22-2/2 * * *", "UTC", from: "2026-01-01T12:00:00Z", count: 3) == [
            "2026-01-01T22:00:00+00:00", "2026-01-02T00:00:00+00:00", "2026-01-02T02:00:00+00:00",
        ])
        // fri-mon = Fri, Sat, Sun, Mon; 2026-01-01 is a Thursday.
        #expect(try fires("0 0 * * fri-mon", "UTC", from: "2026-01-01T00:00:00Z", count: 5) == [
            "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00",
            "2026-01-05T00:00:00+00:00", "2026-01-09T00:00:00+00:00",
        ])
    }

    @Test func equalRangeIsOneValueAndNSlashSReachesTheEnd() throws {
        #expect(try fires("0 0 * jan-jan *", "UTC", from: "2026-01-31T12:00:00Z", count: 1) == ["2027-01-01T00:00:00+00:00"])
        #expect(try fires("0/20 * * * *", "UTC", from: "2026-01-01T00:00:00Z", count: 3) == [
            "2026-01-01T00:20:00+00:00", "2026-01-01T00:40:00+00:00", "2026-01-01T01:00:00+00:00",
        ])
    }

    @Test func hashIsStableAndCroniterCompatible() throws {
        let a = try CronExpression("H H * * *", hashKey: "nightly-report")
        let b = try CronExpression("H H * * *", hashKey: "nightly-report")
        let c = try CronExpression("H H * * *", hashKey: "weekly-report")
        let start = instant("2026-01-01T00:00:00Z")
        #expect(CronSchedule(a).next(after: start) == CronSchedule(b).next(after: start))
        #expect(CronSchedule(a).next(after: start) != CronSchedule(c).next(after: start))
        // croniter: crc32(b"nightly-report") = 0x842B_D2B0 → minute (crc % 60), hour ((crc >> 1) % 24).
        let crc = 0x842B_D2B0
        let expected = String(format: "2026-01-01T%02d:%02d:00+00:00", (crc >> 1) % 24, crc % 60)
        #expect(try fires("H H * * *", "UTC", from: "2026-01-01T00:00:00Z", count: 1, hashKey: "nightly-report") == [expected])
    }

    @Test func macros() throws {
        #expect(try fires("@weekly", "UTC", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-04T00:00:00+00:00"])
        #expect(try fires("@MIDNIGHT", "UTC", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-02T00:00:00+00:00"])
        let reboot = try CronExpression("@reboot")
        #expect(reboot.isReboot)
        #expect(CronSchedule(reboot).next(after: instant("2026-01-01T00:00:00Z")) == nil)
    }

    @Test func yearFieldRunsOut() throws {
        #expect(try fires("0 0 0 1 1 * 2030,2032", "UTC", from: "2026-01-01T00:00:00Z", count: 5) == [
            "2030-01-01T00:00:00+00:00", "2032-01-01T00:00:00+00:00",
        ])
    }
}
