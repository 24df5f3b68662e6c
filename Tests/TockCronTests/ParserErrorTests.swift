import Testing
import TockCron

@Suite struct ParserErrorTests {
    private func error(_ text: String, hashKey: String? = nil) -> CronSyntaxError? {
        do {
            _ = try CronExpression(text, hashKey: hashKey)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("61 * * * *", "minute field: 61 is out of range 0-59 (column 1)"),
        ("0 24 * * *", "hour field: 24 is out of range 0-23 (column 3)"),
        ("0 0 0 * *", "day-of-month field: 0 is out of range 1-31 (column 5)"),
        ("0 0 * 13 *", "month field: 13 is out of range 1-12 (column 7)"),
        ("0 0 * * 8", "day-of-week field: 8 is out of range 0-7 (column 9)"),
        ("0 0 * foo *", "month field: 'foo' is not a number 1-12 or a name jan-dec (column 7)"),
        ("0 0 * * funday", "day-of-week field: 'funday' is not a number 0-7 or a name sun-sat (column 9)"),
        ("*/0 * * * *", "minute field: step 0 in '*/0' must be at least 1 (column 3)"),
        ("1,,2 * * * *", "minute field: empty term in '1,,2'; expected a value, range or '*' (column 3)"),
        ("0 0 1-40 * *", "day-of-month field: 40 is out of range 1-31 (column 7)"),
        ("? * * * *", "minute field: '?' is only allowed in day-of-month and day-of-week; use '*' (column 1)"),
        ("0 0 * * mon#6", "day-of-week field: '#6' in 'mon#6' must be #1 to #5 (the K-th weekday of the month) (column 12)"),
        ("H * * * *", "minute field: 'H' needs an event name to hash; H is only meaningful for a named event (column 1)"),
        ("0 0 0 1 1 * 1969", "year field: 1969 is out of range 1970-2199 (column 13)"),
        ("0 0 * * L", "day-of-week field: 'L' in day-of-week needs a weekday: 5L or L5 is the last Friday of the month (column 9)"),
        ("0 0 30 2 *", "day-of-month field: day-of-month 30 never falls in month 2; this schedule can never fire (column 5)"),
        ("0 0 31 4,6 *", "day-of-month field: day-of-month 31 never falls in month 4,6; this schedule can never fire (column 5)"),
        ("0 0 0 29 2 * 2027", "day-of-month field: day-of-month 29 never falls in month 2 in year 2027; this schedule can never fire (column 7)"),
    ])
    func fieldErrors(text: String, message: String) {
        #expect(error(text)?.description == message)
    }

    @Test func wrongFieldCountNamesTheCount() {
        let failure = error("* * * *")
        #expect(failure?.field == nil)
        #expect(failure?.description.contains("found 4") == true)
    }

    @Test func unknownMacroListsTheMacros() {
        #expect(error("@fortnightly")?.description.contains("expected @yearly") == true)
    }

    @Test func columnCountsFromTheExpressionStart() {
        let failure = error("0   0 \t* * * 1,99")
        #expect(failure?.field == .dayOfWeek)
        #expect(failure?.text == "99")
        #expect(failure?.column == 16)
    }

    @Test func rareSchedulesAreLegal() throws {
        // Feb 29 that is a Sunday: once in 28 years.
        let schedule = CronSchedule(try CronExpression("0 0 29 2 */7"))
        let first = schedule.next(after: instant("2026-01-01T00:00:00Z"))
        #expect(first == instant("2032-02-29T00:00:00Z"))
    }

    @Test func namesAreCaseInsensitive() throws {
        #expect(try fires("0 0 * JAN Mon", "UTC", from: "2026-01-01T00:00:00Z", count: 2) == [
            "2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00",
        ])
    }
}
