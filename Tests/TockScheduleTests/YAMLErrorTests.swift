import Testing
import TockSchedule

/// Files YAML itself rejects: one problem each, at the place the mistake is.
@Suite struct YAMLErrorTests {
    @Test func unquotedCronExpressionIsAnAliasToYAML() throws {
        let (result, path) = try load(
            """
            events:
              sync:
                job: app.sync
                schedule: */5 * * * *   # every five minutes
            """)
        let problem = try onlyProblem(result)
        #expect(problem.position == "4:15")
        #expect(problem.file == path)
        #expect(problem.message == "YAML reads '*' as an alias; quote the cron expression: \"*/5 * * * *\"")
        #expect(result.hasErrors)
    }

    @Test func unquotedCronKeyUnderSchedulerEventsCron() throws {
        let (result, _) = try load(
            """
            scheduler_events:
              cron:
                * * * * *: [app.tick]
            """)
        let problem = try onlyProblem(result)
        #expect(problem.position == "3:5")
        #expect(problem.message.hasSuffix("quote the cron expression: \"* * * * *\""))
    }

    /// `|` and `>` block scalars read as the quoted text, without the line break their
    /// syntax adds; an error in one points at its line.
    @Test func blockScalarsAreAcceptedForOneLineValues() throws {
        let (result, path) = try load(
            """
            events:
              literal:
                job: app.a
                schedule: |
                  30 2 * * *
                queue: >
                  short
              folded:
                job: app.b
                schedule: >-
                  @daily
              broken:
                job: app.c
                schedule: |
                  61 * * * *
            """)
        #expect(result.schedules.event(named: "literal")?.scheduleText == "30 2 * * *")
        #expect(result.schedules.event(named: "literal")?.queue == "short")
        #expect(result.schedules.event(named: "folded")?.scheduleText == "@daily")
        #expect(result.errors.map(\.description) == [
            "\(path):14:15: error: bad cron expression \"61 * * * *\": minute field: 61 is out of range 0-59"
        ])
    }

    @Test func unquotedMacro() throws {
        let (result, _) = try load(
            """
            events:
              boot:
                job: app.boot
                schedule: @reboot
            """)
        let problem = try onlyProblem(result)
        #expect(problem.position == "4:15")
        #expect(problem.message == "YAML does not allow '@' to start a plain value; quote the macro: \"@reboot\"")
    }

    @Test func tabIndentation() throws {
        let (result, _) = try load("events:\n\tsync:\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:1")
        #expect(problem.message == "YAML does not allow tabs for indentation; indent with spaces")
    }

    @Test func otherSyntaxErrorsKeepLibYAMLsWords() throws {
        let (result, _) = try load("timezone: a: b\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "1:12")
        #expect(problem.message == "YAML syntax error: mapping values are not allowed in this context")
    }

    @Test func unterminatedQuoteNamesWhereItStarted() throws {
        let (result, _) = try load("timezone: \"UTC\n")
        let problem = try onlyProblem(result)
        #expect(problem.message.contains("while scanning a quoted scalar at line 1, column 11"))
    }

    @Test func duplicateKeyInOneMapPointsAtTheRepeat() throws {
        let (result, _) = try load(
            """
            events:
              nightly:
                job: app.a
                schedule: "0 1 * * *"
              nightly:
                job: app.b
                schedule: "0 2 * * *"
            """)
        let problem = try onlyProblem(result)
        #expect(problem.position == "5:3")
        #expect(problem.message == "duplicate key 'nightly'; it is also at line 2, column 3; each key may appear once in a map")
    }

    @Test func undefinedAlias() throws {
        let (result, _) = try load("scheduler_events:\n  hourly: *jobs\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:11")
        #expect(problem.message.hasPrefix("undefined alias '*jobs'"))
    }

    @Test func twoDocumentsInOneFile() throws {
        let (result, _) = try load("timezone: UTC\n---\ntimezone: UTC\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:1")
        #expect(problem.message == "a schedule file holds one YAML document; found a second one here")
    }

    @Test func aSyntaxErrorInOneFileDoesNotHideTheOthers() throws {
        let (result, paths) = try load([
            ("a.yaml", "events:\n  x:\n    job: j\n    schedule: */5 * * * *\n"),
            ("b.yaml", "events:\n  y:\n    job: j\n    schedule: \"61 * * * *\"\n"),
        ])
        #expect(result.errors.map(\.file) == paths)
    }
}
