import Testing
import TockSchedule

/// Every problem at once, warnings, order and format.
@Suite struct ProblemReportingTests {
    @Test func everyProblemInAFileAtOnce() throws {
        let (result, path) = try load(
            """
            jobs:
              app.sync:
                command: ["/bin/true"]
            events:
              a:
                job: app.sync
                schedul: "@daily"
                schedule: "@daily"
              b:
                job: app.sync
                schedule: "@daily"
                queue: urgent
              c:
                job: app.sync
                schedule: "0 25 * * *"
              d:
                job: app.sync
                schedule: "@daily"
                timezone: Moon/Base
            """)
        #expect(result.problems.map(\.position) == ["7:5", "12:12", "15:18", "19:15"])
        #expect(result.problems.allSatisfy { $0.isError && $0.file == path })
        #expect(result.problems.map(\.message).map { $0.prefix(while: { $0 != " " }) } == ["unknown", "unknown", "bad", "unknown"])
        #expect(result.schedules.events.isEmpty)
    }

    @Test func everyProblemInEveryFile() throws {
        let (result, paths) = try load([
            ("a.yaml", "events:\n  x:\n    schedule: \"@daily\"\n"),
            ("b.yaml", "jobs: []\n"),
            ("c.yaml", "timezone: Nowhere/Town\n"),
        ])
        #expect(result.problems.map(\.file) == paths)
        #expect(result.errors.count == 3)
    }

    @Test func undeclaredJobIsAWarningNotAnError() throws {
        let (result, path) = try load("events:\n  beat:\n    job: app.handlers.beat\n    schedule: \"@hourly\"\n")
        let problem = try onlyProblem(result)
        #expect(problem.severity == .warning)
        #expect(problem.description == "\(path):3:10: warning: job 'app.handlers.beat' is not declared under jobs: in any file; fine if it is a Swift handler registered in code")
        #expect(!result.hasErrors)
        #expect(result.warnings == [problem])
        #expect(result.schedules.events.map(\.name) == ["beat"])
    }

    @Test func jobDeclaredInAnotherFileCounts() throws {
        let (result, _) = try load([
            ("events.yaml", "scheduler_events:\n  hourly: [app.sync]\n"),
            ("jobs.yaml", "jobs:\n  app.sync:\n    command: [\"/bin/true\"]\n"),
        ])
        #expect(result.problems.isEmpty)
    }

    @Test func problemsSortByFileLineColumn() throws {
        let (result, paths) = try load([
            ("b.yaml", "events:\n  x:\n    job: j\n    schedule: \"@daily\"\n    queue: q\n    jitter: x\n"),
            ("a.yaml", "bogus: 1\nevents:\n  y:\n    job: j\n    schedule: \"61 * * * *\"\n"),
        ])
        let order = result.problems.map { "\($0.file == paths[1] ? "a" : "b"):\($0.position):\($0.severity)" }
        #expect(order == ["a:1:1:error", "a:4:10:warning", "a:5:16:error", "b:3:10:warning", "b:5:12:error", "b:6:13:error"])
        #expect(result.problems == result.problems.sorted())
    }

    @Test func descriptionIsCompilerStyle() {
        let problem = ScheduleProblem(.error, at: FileLocation(file: "s/app.yaml", line: 3, column: 7), "bad")
        #expect(problem.description == "s/app.yaml:3:7: error: bad")
        let whole = ScheduleProblem(.warning, at: FileLocation(file: "s", line: 0, column: 0), "empty")
        #expect(whole.description == "s: warning: empty")
    }

    @Test func unknownDefaultTimeZoneInOptions() throws {
        var options = ScheduleLoader.Options.test
        options.defaultTimeZone = "Europe/Nowhere"
        let (result, _) = try load("jobs: {}\n", options: options)
        let problem = try onlyProblem(result)
        #expect(problem.file == "<options>")
        #expect(problem.message.hasPrefix("unknown default time zone 'Europe/Nowhere'"))
    }
}
