import Testing
import TockSchedule

/// What paths stand for: files as given; directories as their schedule files.
@Suite struct PathTests {
    @Test func directoryMeansItsYAMLFilesSortedAndNotRecursive() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        try fixture.write("b.yml", "scheduler_events:\n  daily: [b]\n")
        try fixture.write("a.yaml", "scheduler_events:\n  daily: [a]\n")
        try fixture.write("notes.txt", "not yaml")
        try fixture.write(".hidden.yaml", "not: [valid")
        try fixture.write("nested/c.yaml", "scheduler_events:\n  daily: [c]\n")
        let result = ScheduleLoader(options: .test).load(paths: [fixture.directory])
        #expect(result.errors.isEmpty)
        #expect(result.schedules.files == [fixture.path("a.yaml"), fixture.path("b.yml")])
        #expect(result.schedules.events.map(\.job) == ["a", "b"])
    }

    @Test func fileNamedTwiceIsReadOnce() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        let path = try fixture.write("a.yaml", "scheduler_events:\n  daily: [a]\n")
        let result = ScheduleLoader(options: .test).load(paths: [path, fixture.directory + "/", path])
        #expect(result.errors.isEmpty)
        #expect(result.schedules.files == [path])
    }

    @Test func filesAndDirectoriesMix() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        try fixture.write("dir/a.yaml", "scheduler_events:\n  daily: [a]\n")
        let single = try fixture.write("single.conf", "scheduler_events:\n  daily: [s]\n")
        let result = ScheduleLoader(options: .test).load(paths: [fixture.path("dir"), single])
        #expect(result.errors.isEmpty)
        #expect(result.schedules.events.map(\.job) == ["a", "s"])
    }

    @Test func directoryWithoutScheduleFilesIsAWarning() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        try fixture.write("readme.md", "# nothing")
        let result = ScheduleLoader(options: .test).load(paths: [fixture.directory])
        let problem = try onlyProblem(result)
        #expect(problem.severity == .warning)
        #expect(problem.description == "\(fixture.directory): warning: the directory has no *.yaml or *.yml files")
    }

    @Test func sourcesLoadLikeFiles() {
        let result = ScheduleLoader(options: .test).load(sources: [
            (file: "x.yaml", yaml: "scheduler_events:\n  daily: [a]\n"),
            (file: "y.yaml", yaml: "events: [oops]\n"),
        ])
        #expect(result.schedules.files == ["x.yaml", "y.yaml"])
        #expect(result.errors.map(\.description) == ["y.yaml:1:9: error: expected a map from event name to its job, schedule and options, found a list"])
    }
}
