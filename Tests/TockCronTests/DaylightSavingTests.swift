import Testing
@testable import TockCron

@Suite struct DaylightSavingTests {
    @Test func fixedTimeInSpringGapFiresAtEndOfGap() throws {
        #expect(try fires("30 2 * * *", "Europe/Berlin", from: "2026-03-28T00:00:00+01:00", count: 3) == [
            "2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00",
        ])
    }

    @Test func severalSkippedSlotsFireOnce() throws {
        #expect(try fires("0,30 2 * * *", "Europe/Berlin", from: "2026-03-29T00:00:00+01:00", count: 2) == [
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00",
        ])
    }

    @Test func fixedTimeInRepeatedHourFiresOnceAtFirstOccurrence() throws {
        #expect(try fires("30 2 * * *", "Europe/Berlin", from: "2026-10-25T00:00:00+02:00", count: 2) == [
            "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00",
        ])
        // Started inside the second pass: 02:30 already fired in the first.
        #expect(try fires("30 2 * * *", "Europe/Berlin", from: "2026-10-25T02:10:00+01:00", count: 1) == [
            "2026-10-26T02:30:00+01:00",
        ])
    }

    @Test func wildcardSkipsMissingHourAndRepeatsDoubledHour() throws {
        #expect(try fires("*/30 * * * *", "Europe/Berlin", from: "2026-03-29T01:00:00+01:00", count: 3) == [
            "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00",
        ])
        #expect(try fires("30 * * * *", "Europe/Berlin", from: "2026-10-25T01:59:00+02:00", count: 3) == [
            "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25T03:30:00+01:00",
        ])
    }

    @Test func previousMirrorsNext() throws {
        for (expression, name) in [("30 2 * * *", "Europe/Berlin"), ("*/15 * * * *", "Europe/Berlin"), ("0 * * * *", "Australia/Lord_Howe"), ("0 0 * * *", "Asia/Beirut")] {
            let tz = zone(name)
            let schedule = CronSchedule(try CronExpression(expression), timeZone: tz)
            let times = Array(schedule.fireTimes(after: instant("2026-03-01T00:00:00Z")).prefix(2000))
            for pair in zip(times, times.dropFirst()) {
                #expect(pair.0 < pair.1)
                #expect(schedule.previous(before: pair.1) == pair.0, "\(expression) \(name) before \(local(pair.1, tz))")
            }
        }
    }
}
