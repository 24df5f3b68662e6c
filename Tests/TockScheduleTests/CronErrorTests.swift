import Testing
import TockSchedule

/// Cron expressions the engine rejects, reported at the column inside the file.
@Suite struct CronErrorTests {
    static func event(_ schedule: String) -> String {
        "events:\n  sync:\n    job: app.sync\n    schedule: \(schedule)\n"
    }

    @Test(arguments: [
        ("61 * * * *", "4:15", "bad cron expression \"61 * * * *\": minute field: 61 is out of range 0-59"),
        ("\"0 61 * * *\"", "4:18", "bad cron expression \"0 61 * * *\": hour field: 61 is out of range 0-23"),
        ("'0 0 * 13 *'", "4:22", "bad cron expression \"0 0 * 13 *\": month field: 13 is out of range 1-12"),
        ("\"0 0 * *\"", "4:16", "bad cron expression \"0 0 * *\": expected 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first) or 7 (seconds first, year last), found 4 in '0 0 * *'"),
        ("\"@fortnightly\"", "4:16", "bad cron expression \"@fortnightly\": unknown macro '@fortnightly'; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @reboot"),
        ("\"0 0 30 2 *\"", "4:20", "bad cron expression \"0 0 30 2 *\": day-of-month field: day-of-month 30 never falls in month 2; this schedule can never fire"),
    ])
    func syntaxErrorAtItsColumnInTheFile(schedule: String, position: String, message: String) throws {
        let (result, _) = try load(Self.event(schedule))
        let problem = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(problem.position == position)
        #expect(problem.message == message)
        #expect(result.schedules.events.isEmpty)
    }

    @Test func errorInAnExpressionKeyUnderCron() throws {
        let (result, _) = try load("scheduler_events:\n  cron:\n    \"0 0 32 * *\": [app.a, app.b]\n")
        // One expression, two jobs: reported once.
        let problem = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(problem.position == "3:10")
        #expect(problem.message == "bad cron expression \"0 0 32 * *\": day-of-month field: 32 is out of range 1-31")
    }

    @Test func unknownFrequencyWordAsSchedule() throws {
        let (result, _) = try load(Self.event("dayly"))
        let problem = try onlyError(result)
        #expect(problem.position == "4:15")
        #expect(problem.message.hasPrefix(
            "unknown schedule 'dayly'; did you mean 'daily'? expected a cron expression, a macro such as \"@daily\", or a frequency: all, hourly,"))
    }

    @Test func cronIsNotAScheduleByItself() throws {
        let (result, _) = try load(Self.event("cron"))
        #expect(try onlyError(result).message.hasPrefix("'cron' is not a schedule by itself"))
    }

    @Test func scheduleWhoseYearsHavePassed() throws {
        let (result, _) = try load(Self.event("\"0 0 0 1 1 * 2020\""))
        let problem = try onlyError(result)
        #expect(problem.position == "4:15")
        #expect(problem.message == "schedule \"0 0 0 1 1 * 2020\" does not fire within the next 100 years: it never fires after 2026-01-01T00:00:00Z")
    }

    @Test func scheduleMoreThanACenturyAway() throws {
        let (result, _) = try load(Self.event("\"0 0 0 1 1 * 2150\""))
        let problem = try onlyError(result)
        #expect(problem.message == "schedule \"0 0 0 1 1 * 2150\" does not fire within the next 100 years: its next fire time is 2150-01-01T00:00:00Z, more than 100 years away")
    }

    @Test func rareButLegalScheduleLoads() throws {
        // Feb 29 that is a Sunday: once in 28 years.
        let (result, _) = try load("jobs:\n  app.sync:\n    command: [\"/bin/true\"]\n" + Self.event("\"0 0 29 2 0\""))
        #expect(result.problems.isEmpty)
        #expect(result.schedules.events.count == 1)
    }

    @Test func allWithAnIntervalCronCannotExpress() throws {
        var options = ScheduleLoader.Options.test
        options.schedulerInterval = 100
        let (result, _) = try load(
            "jobs:\n  app.beat:\n    command: [\"/bin/true\"]\nscheduler_events:\n  all: [app.beat]\n", options: options)
        let problem = try onlyProblem(result)
        #expect(problem.position == "5:3")
        #expect(problem.message.hasPrefix("'all' runs every scheduler interval, and 100 s has no cron form"))
        #expect(result.schedules.events.isEmpty)
    }
}
