import Testing
@testable import TockCron
import TockSchedule

/// An event's zone is its own, else its file's, else the loader's default.
@Suite struct TimeZoneTests {
    static let events = """
        events:
          own:
            job: j
            schedule: "30 2 * * *"
            timezone: Asia/Tokyo
          inherited:
            job: j
            schedule: "30 2 * * *"
        """

    @Test func eventZoneBeatsFileZone() throws {
        let (result, _) = try load("timezone: Europe/Berlin\n" + Self.events)
        #expect(result.errors.isEmpty)
        #expect(result.schedules.event(named: "own")?.timeZone.identifier == "Asia/Tokyo")
        #expect(result.schedules.event(named: "inherited")?.timeZone.identifier == "Europe/Berlin")
    }

    @Test func fileZoneBeatsTheDefault() throws {
        var options = ScheduleLoader.Options.test
        options.defaultTimeZone = "America/Chicago"
        let (result, _) = try load("timezone: Europe/Berlin\n" + Self.events, options: options)
        #expect(result.schedules.event(named: "inherited")?.timeZone.identifier == "Europe/Berlin")
    }

    @Test func defaultZoneWhenNoneIsNamed() throws {
        var options = ScheduleLoader.Options.test
        options.defaultTimeZone = "America/Chicago"
        let (result, _) = try load(Self.events, options: options)
        #expect(result.schedules.event(named: "inherited")?.timeZone.identifier == "America/Chicago")
        #expect(result.schedules.event(named: "own")?.timeZone.identifier == "Asia/Tokyo")
    }

    @Test func fileZoneAppliesToSchedulerEventsAndStaysInItsFile() throws {
        let (result, _) = try load([
            ("a.yaml", "timezone: Europe/Berlin\nscheduler_events:\n  daily: [j]\n"),
            ("b.yaml", "scheduler_events:\n  hourly: [j]\n"),
        ])
        #expect(result.errors.isEmpty)
        #expect(result.schedules.event(named: "j@daily")?.timeZone.identifier == "Europe/Berlin")
        #expect(result.schedules.event(named: "j@hourly")?.timeZone.identifier == "UTC")
    }

    @Test func scheduleIsEvaluatedInTheZone() throws {
        let (result, _) = try load("timezone: Europe/Berlin\n" + Self.events)
        let inherited = try #require(result.schedules.event(named: "inherited"))
        // 02:30 in Berlin in winter is 01:30 UTC.
        #expect(inherited.schedule.next(after: ScheduleLoader.Options.testNow) == date("2026-01-01T01:30:00Z"))
        let own = try #require(result.schedules.event(named: "own"))
        #expect(own.schedule.next(after: ScheduleLoader.Options.testNow) == date("2026-01-01T17:30:00Z"))
    }

    @Test func oneZoneTablePerNameSharedAcrossFiles() throws {
        let (result, _) = try load([
            ("a.yaml", "timezone: Europe/Berlin\nscheduler_events:\n  daily: [j]\n"),
            ("b.yaml", "events:\n  e: {job: j, schedule: \"@hourly\", timezone: Europe/Berlin}\n"),
        ])
        let first = try #require(result.schedules.event(named: "j@daily")?.timeZone)
        let second = try #require(result.schedules.event(named: "e")?.timeZone)
        // Building a zone's table costs about a millisecond: the loader builds it once.
        #expect(first.storage === second.storage)
    }
}
