import Testing
import TockSchedule

/// Declarations with wrong keys, types or values: each reported at its exact place.
@Suite struct DeclarationErrorTests {
    static let jobs = """
        jobs:
          app.sync:
            command: ["/bin/true"]

        """

    @Test func unknownEventKeySuggestsTheNearest() throws {
        let (result, _) = try load(
            Self.jobs + """
            events:
              sync:
                job: app.sync
                schedul: "0 * * * *"
            """)
        let messages = result.problems.map { "\($0.position) \($0.message)" }
        #expect(messages.contains(
            "7:5 unknown key 'schedul'; did you mean 'schedule'? allowed: job, schedule, queue, timeout, args, timezone, catch_up, overlap, jitter, enabled"))
        // The key was not recognised, so the event also has no schedule.
        #expect(messages.contains(
            "5:3 event 'sync' has no 'schedule'; expected a cron expression, a macro or a frequency name"))
        #expect(result.problems.count == 2)
    }

    @Test func unknownTopLevelKey() throws {
        let (result, _) = try load("timezone: UTC\nevent:\n  x: {}\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:1")
        #expect(problem.message == "unknown key 'event'; did you mean 'events'? allowed: timezone, jobs, scheduler_events, events")
    }

    @Test func unknownKeyWithNothingNear() throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    colour: red\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "8:5")
        #expect(problem.message.hasPrefix("unknown key 'colour'; allowed: job, "))
    }

    @Test func unknownFrequency() throws {
        let (result, _) = try load("scheduler_events:\n  dayly: [app.sync]\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:3")
        #expect(problem.message.hasPrefix("unknown frequency 'dayly'; did you mean 'daily'? allowed: all, hourly, hourly_long,"))
    }

    @Test func listWhereAMapWasExpected() throws {
        let (result, _) = try load("events:\n  - job: app.sync\n    schedule: \"@daily\"\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:3")
        #expect(problem.message == "expected a map from event name to its job, schedule and options, found a list")
    }

    @Test func stringWhereAJobListWasExpected() throws {
        let (result, _) = try load("scheduler_events:\n  hourly: app.sync\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:11")
        #expect(problem.message == "expected a list of job names under hourly, such as [app.tasks.cleanup], found 'app.sync'")
    }

    @Test func commandAsAShellString() throws {
        let (result, _) = try load("jobs:\n  app.sync:\n    command: /bin/sync --all\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "3:14")
        #expect(problem.message.hasPrefix("'command' must be a list of the program and its arguments"))
        #expect(problem.message.hasSuffix("found the string '/bin/sync --all' (commands do not go through a shell)"))
    }

    @Test func emptyCommandAndEmptyName() throws {
        let (result, _) = try load("jobs:\n  app.sync:\n    command: []\n  \"\": {command: [\"/bin/true\"]}\n")
        #expect(result.problems.map { "\($0.position) \($0.message)" } == [
            "3:14 'command' must be a list of the program and its arguments, such as [\"/usr/bin/env\", \"cleanup\"], found an empty list",
            "4:3 expected a name as the key, found an empty string",
        ])
    }

    @Test func eventThatIsAList() throws {
        let (result, _) = try load("events:\n  sync: [app.sync, \"@daily\"]\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:9")
        #expect(problem.message == "expected an event map with keys job, schedule, queue, timeout, args, timezone, catch_up, overlap, jitter, enabled, found a list")
    }

    @Test func jobWithoutCommand() throws {
        let (result, _) = try load("jobs:\n  app.sync:\n    timeout: 5m\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:3")
        #expect(problem.message.hasPrefix("job 'app.sync' has no command"))
        #expect(result.schedules.jobs.isEmpty)
    }

    @Test func missingJobAndSchedule() throws {
        let (result, _) = try load("events:\n  sync:\n    queue: short\n")
        #expect(result.problems.map(\.position) == ["2:3", "2:3"])
        #expect(result.problems.map(\.message).sorted() == [
            "event 'sync' has no 'job'; expected the name of the job to enqueue",
            "event 'sync' has no 'schedule'; expected a cron expression, a macro or a frequency name",
        ])
        #expect(result.schedules.events.isEmpty)
    }

    @Test func eventWithNoBody() throws {
        let (result, _) = try load("events:\n  sync:\n")
        #expect(try onlyProblem(result).message == "event 'sync' has no job and no schedule; expected job: and schedule:")
    }

    @Test func unknownQueueListsTheKnownOnes() throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    queue: longg\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "8:12")
        #expect(problem.message == "unknown queue 'longg'; did you mean 'long'? known queues: short, default, long")
    }

    @Test func unknownQueueOnAJob() throws {
        let (result, _) = try load("jobs:\n  app.sync:\n    command: [\"/bin/true\"]\n    queue: bulk\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "4:12")
        #expect(problem.message == "unknown queue 'bulk'; known queues: short, default, long")
    }

    @Test func unknownTimeZoneSuggestsTheNearest() throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    timezone: Europe/Berln\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "8:15")
        #expect(problem.message == "unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'? expected an IANA name such as Europe/Berlin or UTC")
        #expect(result.schedules.events.isEmpty)
    }

    @Test func unknownFileTimeZoneDropsTheEventsThatUseIt() throws {
        let (result, _) = try load(
            "timezone: Mars/Olympus\n" + Self.jobs + """
            events:
              uses-file-zone:
                job: app.sync
                schedule: "@daily"
              own-zone:
                job: app.sync
                schedule: "@daily"
                timezone: Asia/Tokyo
            """)
        let problem = try onlyProblem(result)
        #expect(problem.position == "1:11")
        #expect(result.schedules.events.map(\.name) == ["own-zone"])
    }

    @Test(arguments: [
        ("timeout: 5 minutes", "8:14", "bad duration '5 minutes' for 'timeout'"),
        ("timeout: 30m1h", "8:14", "bad duration '30m1h' for 'timeout'"),
        ("timeout: 1.5", "8:14", "bad duration '1.5' for 'timeout'"),
        ("timeout: 0", "8:14", "'timeout' must be longer than 0s"),
        ("jitter: -5s", "8:13", "bad duration '-5s' for 'jitter'"),
        ("jitter: [1s]", "8:13", "bad duration a list for 'jitter'"),
    ])
    func badDurations(option: String, position: String, message: String) throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    \(option)\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == position)
        #expect(problem.message.hasPrefix(message))
    }

    @Test func badDurationSaysWhatIsAccepted() throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    jitter: soon\n")
        #expect(try onlyProblem(result).message
            == "bad duration 'soon' for 'jitter'; expected a whole number of seconds or amounts with units d, h, m, s, such as 30s, 45m, 2h, 1h30m, 1d")
    }

    @Test(arguments: [
        ("catch_up: lates", "unknown catch_up 'lates'; did you mean 'latest'? expected none, latest or all"),
        ("catch_up: every", "unknown catch_up 'every'; expected none, latest or all"),
        ("overlap: skipp", "unknown overlap 'skipp'; did you mean 'skip'? expected skip or allow"),
        ("overlap: {}", "unknown overlap a map; expected skip or allow"),
        ("enabled: nope", "'enabled' must be true or false, found a string 'nope'"),
        ("enabled: \"true\"", "'enabled' must be true or false, found a string 'true'"),
    ])
    func badChoices(option: String, message: String) throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    \(option)\n")
        let problem = try onlyProblem(result)
        #expect(problem.line == 8)
        #expect(problem.message == message)
    }

    @Test func argsThatJSONCannotHold() throws {
        let (result, _) = try load(Self.jobs + "events:\n  sync:\n    job: app.sync\n    schedule: \"@daily\"\n    args: {limit: .inf, [a]: 1}\n")
        #expect(result.problems.map(\.position) == ["8:19", "8:25"])
        #expect(result.problems.map(\.message) == [
            "'args' holds '.inf', which is not a JSON number",
            "'args' keys must be strings (JSON object keys), found a list",
        ])
    }

    @Test func badRetry() throws {
        let (result, _) = try load(
            """
            jobs:
              app.a:
                command: ["/bin/true"]
                retry: {max: 0}
              app.b:
                command: ["/bin/true"]
                retry: {intervals: [1m]}
              app.c:
                command: ["/bin/true"]
                retry: {max: 2, intervals: [1m, often]}
            """)
        #expect(result.problems.map { "\($0.position) \($0.message)" } == [
            "4:18 'max' must be a whole number of retries, 1 or more, found '0'",
            "7:12 'retry' needs 'max', the number of retries (such as max: 3)",
            "10:37 bad duration 'often' for 'intervals'; expected a whole number of seconds or amounts with units d, h, m, s, such as 30s, 45m, 2h, 1h30m, 1d",
        ])
        #expect(result.schedules.jobs.isEmpty)
    }

    @Test func frequencyWhoseQueueIsNotConfigured() throws {
        var options = ScheduleLoader.Options.test
        options.queues = ["default"]
        let (result, _) = try load(
            Self.jobs + "scheduler_events:\n  daily_long: [app.sync]\n  daily: [app.sync]\n", options: options)
        let problem = try onlyProblem(result)
        #expect(problem.position == "5:3")
        #expect(problem.message == "'daily_long' sends its jobs to queue 'long', which is not configured; known queues: default; or set the event's queue")
        #expect(result.schedules.events.map(\.name) == ["app.sync@daily"])
    }
}
