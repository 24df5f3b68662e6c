import TockValues
import Foundation
import Testing
import TockCron
import TockSchedule

/// Every option of an `events:` entry, its default, and what events take from jobs.
@Suite struct EventOptionTests {
    static let jobs = """
        jobs:
          app.report:
            command: ["/usr/bin/env", "REPORT=1", "/bin/true"]
            timeout: 45m
            queue: long

        """

    /// `catch_up: all` with `overlap: skip` (said or by default) gets a note, not a
    /// warning; with `overlap: allow` nothing needs saying.
    @Test func catchUpAllWithOverlapSkipIsExplained() throws {
        let (result, path) = try load(
            """
            events:
              payday:
                job: app.pay
                schedule: "0 9 * * 5L"
                catch_up: all
              explicit:
                job: app.pay
                schedule: "0 9 * * 5L"
                catch_up: all
                overlap: skip
              allowed:
                job: app.pay
                schedule: "0 9 * * 5L"
                catch_up: all
                overlap: allow
            """)
        #expect(result.errors.isEmpty)
        #expect(result.problems.filter { $0.severity == .note }.map(\.description) == [
            "\(path):5:15: note: catch_up: all enqueues every instant missed while no scheduler ran, even while the event's previous job is pending; overlap: skip (the default) applies to fires that come due on time",
            "\(path):9:15: note: catch_up: all enqueues every instant missed while no scheduler ran, even while the event's previous job is pending; overlap: skip applies to fires that come due on time",
        ])
    }

    @Test func defaults() throws {
        let (result, path) = try load(
            """
            events:
              minimal:
                job: app.handler
                schedule: "30 2 * * *"
            """)
        #expect(result.errors.isEmpty)
        let event = try #require(result.schedules.event(named: "minimal"))
        #expect(event.job == "app.handler")
        #expect(event.scheduleText == "30 2 * * *")
        #expect(event.expression == (try CronExpression("30 2 * * *", hashKey: "minimal")))
        #expect(event.timeZone.identifier == "UTC")
        #expect(event.frequency == nil)
        #expect(event.queue == "default")
        #expect(event.timeout == nil)
        #expect(event.args == nil)
        #expect(event.catchUp == .latest)
        #expect(event.overlap == .skip)
        #expect(event.jitter == 0)
        #expect(event.jitterOffset == 0)
        #expect(event.enabled)
        #expect(event.location == FileLocation(file: path, line: 2, column: 3))
    }

    @Test func everyOptionSet() throws {
        let (result, _) = try load(
            Self.jobs + """
            events:
              send-invoices:
                job: app.report
                schedule: "30 2 * * *"
                queue: short
                timeout: 1h30m
                args: {region: eu, limit: 500, ratio: 0.5, dry_run: false, tags: [a, "b"], none: null, when: 2026-01-01}
                timezone: Europe/Berlin
                catch_up: all
                overlap: allow
                jitter: 2m
                enabled: false
            """)
        #expect(result.problems.isEmpty)
        let event = try #require(result.schedules.event(named: "send-invoices"))
        #expect(event.queue == "short")
        #expect(event.timeout == 5400)
        #expect(event.args == [
            "region": "eu", "limit": 500, "ratio": 0.5, "dry_run": false, "tags": ["a", "b"], "none": nil,
            "when": "2026-01-01",
        ])
        #expect(event.timeZone.identifier == "Europe/Berlin")
        #expect(event.catchUp == .all)
        #expect(event.overlap == .allow)
        #expect(event.jitter == 120)
        #expect(!event.enabled)
    }

    @Test(arguments: [("none", CatchUpPolicy.none), ("latest", .latest), ("all", .all)])
    func catchUpValues(name: String, policy: CatchUpPolicy) throws {
        let (result, _) = try load("events:\n  e:\n    job: j\n    schedule: \"@daily\"\n    catch_up: \(name)\n")
        #expect(result.errors.isEmpty)
        #expect(result.schedules.event(named: "e")?.catchUp == policy)
        #expect(policy.description == name)
    }

    @Test(arguments: [("skip", OverlapPolicy.skip), ("allow", .allow)])
    func overlapValues(name: String, policy: OverlapPolicy) throws {
        let (result, _) = try load("events:\n  e:\n    job: j\n    schedule: \"@daily\"\n    overlap: \(name)\n")
        #expect(result.errors.isEmpty)
        #expect(result.schedules.event(named: "e")?.overlap == policy)
    }

    @Test func eventInheritsQueueAndTimeoutFromItsJob() throws {
        let (result, _) = try load(
            Self.jobs + "events:\n  e:\n    job: app.report\n    schedule: \"@daily\"\n")
        let event = try #require(result.schedules.event(named: "e"))
        #expect(event.queue == "long")
        #expect(event.timeout == 45 * 60)
    }

    @Test func jobQueueBeatsFrequencyQueue() throws {
        let (result, _) = try load(
            "jobs:\n  app.quick:\n    command: [\"/bin/true\"]\n    queue: short\nscheduler_events:\n  daily_long: [app.quick]\n")
        #expect(result.problems.isEmpty)
        #expect(result.schedules.events.first?.queue == "short")
    }

    @Test func jobDeclaredInALaterFileStillLendsItsQueue() throws {
        let (result, _) = try load([
            ("a.yaml", "events:\n  e:\n    job: app.report\n    schedule: \"@daily\"\n"),
            ("b.yaml", Self.jobs),
        ])
        #expect(result.problems.isEmpty)
        #expect(result.schedules.event(named: "e")?.queue == "long")
    }

    @Test func secondsFieldMacroAndHashedForms() throws {
        let (result, _) = try load(
            """
            events:
              every-ten-seconds: {job: j, schedule: "*/10 * * * * *"}
              at-boot: {job: j, schedule: "@reboot"}
              hashed-a: {job: j, schedule: "H * * * *"}
              hashed-b: {job: j, schedule: "H * * * *"}
              last-friday: {job: j, schedule: "0 9 * * 5L"}
              second-monday: {job: j, schedule: "0 8 * * mon#2"}
              last-day: {job: j, schedule: "0 22 L * *"}
            """)
        #expect(result.errors.isEmpty)
        let events = result.schedules
        #expect(events.event(named: "every-ten-seconds")?.expression.hasSeconds == true)
        #expect(events.event(named: "at-boot")?.isReboot == true)
        #expect(events.event(named: "at-boot")?.schedule.next(after: .now) == nil)
        // `H` hashes the event's name: the same text gives each event its own minute.
        for name in ["hashed-a", "hashed-b"] {
            #expect(events.event(named: name)?.expression == (try CronExpression("H * * * *", hashKey: name)))
            #expect(events.event(named: name)?.expression.hashKey == name)
        }
        let start = ScheduleLoader.Options.testNow  // Thursday 2026-01-01
        #expect(events.event(named: "last-friday")?.schedule.next(after: start) == date("2026-01-30T09:00:00Z"))
        #expect(events.event(named: "second-monday")?.schedule.next(after: start) == date("2026-01-12T08:00:00Z"))
        #expect(events.event(named: "last-day")?.schedule.next(after: start) == date("2026-01-31T22:00:00Z"))
    }

    @Test func mergeKeysShareOptions() throws {
        let (result, _) = try load(
            """
            events:
              first: &defaults
                job: j
                schedule: "@daily"
                queue: short
                jitter: 10s
              second:
                <<: *defaults
                schedule: "@hourly"
            """)
        #expect(result.errors.isEmpty)
        let second = try #require(result.schedules.event(named: "second"))
        #expect(second.queue == "short")
        #expect(second.jitter == 10)
        #expect(second.scheduleText == "@hourly")
    }

    @Test func jobDefinitionFields() throws {
        let (result, path) = try load(
            """
            jobs:
              app.send:
                command: ["/usr/bin/env", "MODE=send", "/bin/true", 42]
                timeout: 90
                queue: long
                retry: {max: 3, intervals: [10s, 1m]}
            """)
        #expect(result.problems.isEmpty)
        let job = try #require(result.schedules.jobs["app.send"])
        #expect(job.command == ["/usr/bin/env", "MODE=send", "/bin/true", "42"])
        #expect(job.timeout == 90)
        #expect(job.queue == "long")
        #expect(job.retry == RetryPolicy(max: 3, intervals: [10, 60]))
        // RQ's rule: more retries than intervals repeat the first one, early.
        #expect((1...3).map { job.retry?.interval(beforeRetry: $0) } == [10, 10, 60])
        #expect(job.location == FileLocation(file: path, line: 2, column: 3))
    }

    @Test func retryWithOneIntervalAndBooleanSpellings() throws {
        let (result, _) = try load(
            """
            jobs:
              app.send:
                command: ["/bin/true"]
                retry: {max: 2, intervals: 30s}
            events:
              off: {job: app.send, schedule: "@daily", enabled: no}
              on: {job: app.send, schedule: "@daily", enabled: yes}
            """)
        #expect(result.problems.isEmpty)
        #expect(result.schedules.jobs["app.send"]?.retry == RetryPolicy(max: 2, intervals: [30]))
        #expect(result.schedules.event(named: "off")?.enabled == false)
        #expect(result.schedules.event(named: "on")?.enabled == true)
    }
}

func date(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}
