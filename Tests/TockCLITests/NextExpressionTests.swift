import Foundation
import Testing

@Suite struct NextExpressionTests {
    @Test func helpListsEverySubcommand() throws {
        let output = try TockProcess.run(["--help"])
        #expect(output.status == 0)
        for command in ["check", "next", "bench"] {
            #expect(output.stdout.contains("  \(command) "), "missing \(command) in:\n\(output.stdout)")
        }
    }

    @Test func berlinSpringForwardExampleFromTheIssue() throws {
        let output = try TockProcess.run([
            "next", "--expr", "30 2 * * *", "--zone", "Europe/Berlin", "--from", "2026-03-28T00:00", "--count", "3",
        ])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("1  2026-03-28 02:30:00 +01:00  2026-03-28T01:30:00Z"))
        #expect(lines.contains("2  2026-03-29 03:00:00 +02:00  2026-03-29T01:00:00Z"))
        #expect(lines.contains("3  2026-03-30 02:30:00 +02:00  2026-03-30T00:30:00Z"))
        #expect(lines.contains("description: at 02:30 every day"))
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let output = try TockProcess.run([
            "next", "--expr", "30 2 * * *", "--zone", "Europe/Berlin", "--from", "2026-03-28T00:00", "--count", "3", "--json",
        ])
        #expect(output.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["at"] as? String } == ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
        #expect(rows.map { $0["utc"] as? String } == ["2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"])
        for key in ["event", "job", "queue"] { #expect(rows.allSatisfy { $0.keys.contains(key) }) }
    }

    @Test func fromWithAnExplicitOffsetAndUntil() throws {
        let output = try TockProcess.run([
            "next", "--expr", "0 * * * *", "--zone", "Europe/Berlin", "--from", "2026-03-29T00:30:00Z",
            "--until", "2026-03-29T04:00", "--json",
        ])
        #expect(output.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        // 02:00 does not exist that night in Berlin; --until is on Berlin's wall clock.
        #expect(rows.map { $0["at"] as? String } == ["2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"])
    }

    @Test func hashedExpressionNeedsAName() throws {
        let unnamed = try TockProcess.run(["next", "--expr", "H * * * *"])
        #expect(unnamed.status == 2)
        #expect(unnamed.stderr.contains("needs an event name"))
        let named = try TockProcess.run(["next", "--expr", "H * * * *", "--name", "nightly-report", "--json", "--count", "1"])
        #expect(named.status == 0)
    }

    @Test(arguments: [
        (["next", "--expr", "61 * * * *"], "minute field: 61 is out of range 0-59 (column 1)"),
        (["next", "--expr", "* * * * *", "--zone", "Mars/Base"], "unknown time zone 'Mars/Base'"),
        (["next", "--expr", "* * * * *", "--from", "2026-02-30T00:00"], "is not a valid date"),
        (["next", "--expr", "* * * * *", "--from", "tomorrow"], "expected YYYY-MM-DDTHH:MM[:SS]"),
        (["next", "--expr", "* * * * *", "--count", "0"], "--count must be at least 1"),
    ])
    func usageErrorsExitTwoWithAMessage(arguments: [String], message: String) throws {
        let output = try TockProcess.run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "stderr: \(output.stderr)")
    }
}
