import Foundation
import Testing
import TockCron
import TockSchedule

/// Frappe's frequencies under `scheduler_events`, and as an event's `schedule:`.
@Suite struct FrequencyTests {
    static let table: [(Frequency, String, String)] = [
        (.all, "*/4 * * * *", "default"),
        (.hourly, "0 * * * *", "default"),
        (.hourlyLong, "0 * * * *", "long"),
        (.hourlyMaintenance, "0 * * * *", "long"),
        (.daily, "0 0 * * *", "default"),
        (.dailyLong, "0 0 * * *", "long"),
        (.dailyMaintenance, "0 0 * * *", "long"),
        (.weekly, "0 0 * * 0", "default"),
        (.weeklyLong, "0 0 * * 0", "long"),
        (.monthly, "0 0 1 * *", "default"),
        (.monthlyLong, "0 0 1 * *", "long"),
        (.yearly, "0 0 1 1 *", "default"),
        (.annual, "0 0 1 1 *", "default"),
    ]

    @Test func theTableCoversEveryFrequencyButCron() {
        #expect(Set(Self.table.map(\.0)) == Set(Frequency.allCases).subtracting([.cron]))
    }

    @Test(arguments: table)
    func schedulerEventsFrequency(frequency: Frequency, cron: String, queue: String) throws {
        let (result, path) = try load(
            """
            jobs:
              app.task:
                command: ["/bin/true"]
            scheduler_events:
              \(frequency.rawValue): [app.task]
            """)
        #expect(result.problems.isEmpty)
        let event = try #require(result.schedules.events.first)
        #expect(result.schedules.events.count == 1)
        #expect(event.name == "app.task@\(frequency.rawValue)")
        #expect(event.job == "app.task")
        #expect(event.frequency == frequency)
        #expect(event.scheduleText == frequency.rawValue)
        #expect(event.expression.text == cron)
        #expect(event.queue == queue)
        #expect(event.location == FileLocation(file: path, line: 5, column: frequency.rawValue.count + 6))
    }

    @Test func cronMapFromExpressionToJobs() throws {
        let (result, _) = try load(
            """
            jobs:
              app.sync: {command: ["/bin/true"]}
              app.poll: {command: ["/bin/true"]}
            scheduler_events:
              cron:
                "0/15 * * * *": [app.sync, app.poll]
                H H * * *: [app.sync]
            """)
        #expect(result.problems.isEmpty)
        let names = result.schedules.events.map(\.name)
        #expect(names == ["app.poll@cron:0/15 * * * *", "app.sync@cron:0/15 * * * *", "app.sync@cron:H H * * *"])
        let sync = try #require(result.schedules.event(named: "app.sync@cron:0/15 * * * *"))
        #expect(sync.frequency == .cron)
        #expect(sync.queue == "default")
        #expect(sync.scheduleText == "0/15 * * * *")
        #expect(sync.schedule.next(after: FrequencyTests.noon) == FrequencyTests.noon.addingTimeInterval(15 * 60))
        let hashed = try #require(result.schedules.event(named: "app.sync@cron:H H * * *"))
        #expect(hashed.expression == (try CronExpression("H H * * *", hashKey: "app.sync@cron:H H * * *")))
    }

    static let noon = Date(timeIntervalSince1970: 1_767_268_800)  // 2026-01-01T12:00:00Z

    @Test(arguments: [
        (240, "*/4 * * * *"), (60, "* * * * *"), (30, "*/30 * * * * *"), (1, "* * * * * *"),
        (900, "*/15 * * * *"), (3600, "0 * * * *"), (7200, "0 */2 * * *"), (86_400, "0 0 * * *"),
    ])
    func allFollowsTheSchedulerInterval(seconds: Int, cron: String) throws {
        #expect(Frequency.everyInterval(seconds) == cron)
        var options = ScheduleLoader.Options.test
        options.schedulerInterval = seconds
        let (result, _) = try load("jobs:\n  app.beat: {command: [\"/bin/true\"]}\nscheduler_events:\n  all: [app.beat]\n", options: options)
        #expect(result.problems.isEmpty)
        #expect(result.schedules.events.first?.expression.text == cron)
    }

    @Test(arguments: [0, -60, 7, 45, 100, 420, 5400, 4 * 3600 + 1, 5 * 3600, 2 * 86_400])
    func intervalsWithoutAnEvenCronForm(seconds: Int) {
        #expect(Frequency.everyInterval(seconds) == nil)
    }

    @Test(arguments: table)
    func frequencyNameAsEventSchedule(frequency: Frequency, cron: String, queue: String) throws {
        let (result, _) = try load(
            """
            jobs:
              app.task: {command: ["/bin/true"]}
            events:
              by-name:
                job: app.task
                schedule: \(frequency.rawValue)
            """)
        #expect(result.problems.isEmpty)
        let event = try #require(result.schedules.event(named: "by-name"))
        #expect(event.frequency == frequency)
        #expect(event.scheduleText == frequency.rawValue)
        #expect(event.expression.text == cron)
        #expect(event.queue == queue)
    }

    @Test func eventQueueBeatsTheFrequencysQueue() throws {
        let (result, _) = try load(
            "jobs:\n  app.task: {command: [\"/bin/true\"]}\nevents:\n  e:\n    job: app.task\n    schedule: daily_long\n    queue: short\n")
        #expect(result.problems.isEmpty)
        #expect(result.schedules.event(named: "e")?.queue == "short")
    }
}

