import Foundation
import Testing
import TockSchedule

/// Files that are YAML but not schedule files, and paths that cannot be read.
@Suite struct FileShapeTests {
    @Test func emptyFile() throws {
        let (result, path) = try load("")
        let problem = try onlyProblem(result)
        #expect(problem.description == "\(path):1:1: error: the file is empty; expected a map with keys timezone, jobs, scheduler_events, events")
    }

    @Test func fileWithOnlyCommentsIsEmpty() throws {
        let (result, _) = try load("# nothing yet\n")
        #expect(try onlyProblem(result).message.hasPrefix("the file is empty"))
    }

    @Test func fileThatIsAList() throws {
        let (result, _) = try load("\n- job: app.sync\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == "2:1")
        #expect(problem.message == "the file is a list; expected a map with keys timezone, jobs, scheduler_events, events")
    }

    @Test func missingPathIsNamed() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        let missing = fixture.path("nope.yaml")
        let result = ScheduleLoader(options: .test).load(paths: [missing])
        let problem = try onlyProblem(result)
        #expect(problem.description == "\(missing): error: cannot read: no such file or directory")
        #expect(problem.line == 0 && problem.column == 0)
    }

    @Test func unreadableFile() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        // Root reads anything: check the message only when the permission holds.
        let path = try fixture.write("locked.yaml", "timezone: UTC\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        let result = ScheduleLoader(options: .test).load(paths: [path])
        if FileManager.default.isReadableFile(atPath: path) {
            #expect(result.problems.isEmpty)
        } else {
            let problem = try onlyProblem(result)
            #expect(problem.description == "\(path): error: cannot read: permission denied")
        }
    }

    @Test func fileThatIsNotUTF8() throws {
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        let path = fixture.path("latin1.yaml")
        try Data([0x74, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
        let result = ScheduleLoader(options: .test).load(paths: [path])
        #expect(try onlyProblem(result).message == "cannot read: the file is not UTF-8 text")
    }
}

/// `jobsOnly`: what an enqueuer or a worker reads — the jobs, none of the events, and no
/// problem an event has.
@Suite struct JobsOnlyLoadTests {
    @Test func readsTheJobsAndSkipsTheEvents() throws {
        let text = """
            jobs:
              app.send:
                command: ["/bin/true"]
                queue: long
            events:
              broken:
                job: app.send
                schedule: "61 * * * *"
            """
        let (full, _) = try load(text)
        #expect(full.hasErrors)
        var options = ScheduleLoader.Options.test
        options.jobsOnly = true
        let (jobsOnly, _) = try load(text, options: options)
        #expect(jobsOnly.problems.isEmpty)
        #expect(jobsOnly.schedules.events.isEmpty)
        #expect(jobsOnly.schedules.declarations["app.send"]?.queue == "long")
    }
}
