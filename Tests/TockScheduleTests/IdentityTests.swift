import Testing
import TockSchedule

/// Event and job names: how they are made, and that they are unique across files.
@Suite struct IdentityTests {
    @Test func namesOfEachKindOfDeclaration() throws {
        let (result, _) = try load(
            """
            scheduler_events:
              hourly: [app.a]
              cron:
                "0/15 * * * *": [app.a]
            events:
              my-event: {job: app.a, schedule: "@daily"}
            """)
        #expect(result.errors.isEmpty)
        #expect(result.schedules.events.map(\.name) == ["app.a@cron:0/15 * * * *", "app.a@hourly", "my-event"])
    }

    @Test func duplicateEventAcrossTwoFilesNamesBothPlaces() throws {
        let (result, paths) = try load([
            ("a.yaml", "events:\n  nightly:\n    job: app.a\n    schedule: \"0 1 * * *\"\n"),
            ("b.yaml", "# the same name again\nevents:\n  nightly:\n    job: app.b\n    schedule: \"0 2 * * *\"\n"),
        ])
        let problem = try onlyError(result)
        #expect(problem.description == "\(paths[1]):3:3: error: duplicate event name 'nightly'; it is also declared at \(paths[0]):2:3; event names must be unique across all schedule files")
        // The first declaration is kept.
        #expect(result.schedules.events.map(\.job) == ["app.a"])
    }

    @Test func duplicateFromSchedulerEventsAndEvents() throws {
        let (result, paths) = try load([
            ("a.yaml", "scheduler_events:\n  daily: [app.a]\n"),
            ("b.yaml", "events:\n  app.a@daily: {job: app.a, schedule: \"@daily\"}\n"),
        ])
        let problem = try onlyError(result)
        #expect(problem.file == paths[1])
        #expect(problem.message.contains("also declared at \(paths[0]):2:11"))
    }

    @Test func sameJobTwiceInOneFrequencyList() throws {
        let (result, path) = try load("scheduler_events:\n  daily: [app.a, app.a]\n")
        let problem = try onlyError(result)
        #expect(problem.position == "2:18")
        #expect(problem.message.hasPrefix("duplicate event name 'app.a@daily'; it is also declared at \(path):2:11"))
        #expect(result.schedules.events.count == 1)
    }

    @Test func sameJobUnderTwoFrequenciesIsTwoEvents() throws {
        let (result, _) = try load("scheduler_events:\n  daily: [app.a]\n  weekly: [app.a]\n")
        #expect(result.errors.isEmpty)
        #expect(result.schedules.events(forJob: "app.a").map(\.name) == ["app.a@daily", "app.a@weekly"])
    }

    @Test func duplicateJobAcrossTwoFiles() throws {
        let job = "jobs:\n  app.a:\n    command: [\"/bin/true\"]\n"
        let (result, paths) = try load([("a.yaml", job), ("b.yaml", "\n" + job)])
        let problem = try onlyError(result)
        #expect(problem.description == "\(paths[1]):3:3: error: duplicate job name 'app.a'; it is also declared at \(paths[0]):2:3; job names must be unique across all schedule files")
        #expect(result.schedules.jobs["app.a"]?.location.file == paths[0])
    }

    @Test func eventsAreSortedByName() throws {
        let (result, _) = try load(
            "events:\n  zeta: {job: j, schedule: \"@daily\"}\n  alpha: {job: j, schedule: \"@daily\"}\n  mid: {job: j, schedule: \"@daily\"}\n")
        #expect(result.schedules.events.map(\.name) == ["alpha", "mid", "zeta"])
        #expect(result.schedules.event(named: "mid")?.name == "mid")
        #expect(result.schedules.event(named: "nope") == nil)
    }
}
