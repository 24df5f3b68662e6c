import Foundation
import Testing
import TockSchedule

/// The `tock check` example in `docs/schedules.md` is what the loader really reports.
@Suite struct DocumentationTests {
    static let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/schedules.md").path

    /// The fenced blocks that follow `marker` in the docs.
    static func block(after marker: String, fence: String, in text: String) throws -> String {
        let start = try #require(text.range(of: marker)).upperBound
        let open = try #require(text.range(of: fence + "\n", range: start..<text.endIndex)).upperBound
        let close = try #require(text.range(of: "\n```", range: open..<text.endIndex)).lowerBound
        return String(text[open..<close])
    }

    @Test func checkExampleMatchesTheLoader() throws {
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        let yaml = try Self.block(after: "Given this file:", fence: "```yaml", in: text)
        let output = try Self.block(after: "unquoted `schedule: */5 * * * *`", fence: "```", in: text)
        let fixture = try ScheduleFixture()
        defer { fixture.remove() }
        try fixture.write("schedules/cabs_app.yaml", yaml + "\n")
        try fixture.write("schedules/billing.yaml", "events:\n  poll:\n    job: billing.poll\n    schedule: */5 * * * *\n")
        let result = ScheduleLoader(options: .test).load(paths: [fixture.path("schedules")])
        let printed = result.problems.map { $0.description.replacingOccurrences(of: fixture.directory + "/", with: "") }
        let documented = output.split(separator: "\n").dropFirst().map(String.init)  // drop the `$ tock check` line
        #expect(printed == documented)
    }
}
