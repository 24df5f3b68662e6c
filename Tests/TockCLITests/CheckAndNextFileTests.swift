import Foundation
import Testing

@Suite struct CheckAndNextFileTests {
    private func write(_ files: [String: String]) throws -> URL {
        let directory = try TockProcess.temporaryDirectory()
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func exampleSchedulesCheckClean() throws {
        let output = try TockProcess.run(["check"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("0 errors, 0 warnings"))
    }

    @Test func checkReportsEveryProblemWithLocationAndExitsOne() throws {
        let directory = try write([
            "a.yaml": """
                events:
                  broken-minute:
                    job: app.tasks.a
                    schedule: "61 * * * *"
                  typo:
                    job: app.tasks.b
                    schedul: "0 * * * *"
                """,
            "b.yaml": """
                events:
                  wrong-queue:
                    job: app.tasks.c
                    schedule: "@daily"
                    queue: urgent
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try TockProcess.run(["check", "."], in: directory)
        #expect(output.status == 1)
        #expect(output.stdout.contains("a.yaml:4:16: error: bad cron expression \"61 * * * *\": minute field: 61 is out of range 0-59"), "\(output.stdout)")
        #expect(output.stdout.contains("a.yaml:7:5: error: unknown key 'schedul'; did you mean 'schedule'?"), "\(output.stdout)")
        #expect(output.stdout.contains("b.yaml:5:12: error:"), "\(output.stdout)")
        #expect(output.stdout.contains("urgent"))
    }

    @Test func checkReadsQueuesAndZoneFromTheConfiguration() throws {
        let directory = try write([
            "app.yaml": """
                events:
                  report:
                    job: app.tasks.report
                    schedule: "0 6 * * *"
                    queue: reports
                """,
            "tock.yaml": """
                timezone: Asia/Tokyo
                schedules: [app.yaml]
                queues:
                  reports: {timeout: 1h}
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        try "".write(to: directory.appendingPathComponent("empty.yaml"), atomically: true, encoding: .utf8)
        let without = try TockProcess.run(["check", "app.yaml", "--config", "empty.yaml"], in: directory)
        #expect(without.status == 1)
        #expect(without.stdout.contains("unknown queue 'reports'"), "\(without.stdout)")
        let with = try TockProcess.run(["check", "--config", "tock.yaml"], in: directory)
        #expect(with.status == 0, "\(with.stdout)")
        let next = try TockProcess.run(["next", "--config", "tock.yaml", "--from", "2026-01-01T00:00", "--count", "1", "--json"], in: directory)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["at"] as? String == "2026-01-01T06:00:00+09:00")
        #expect(rows.first?["queue"] as? String == "reports")
    }

    @Test func checkUsageErrorExitsTwo() throws {
        let output = try TockProcess.run(["check", "--no-such-flag"])
        #expect(output.status == 2)
    }

    @Test func nextMergesEventsIntoOneTimeline() throws {
        let directory = try write([
            "app.yaml": """
                timezone: Europe/Berlin
                scheduler_events:
                  hourly: [app.tasks.hourly]
                events:
                  invoices:
                    job: app.tasks.invoices
                    schedule: "30 2 * * *"
                    queue: long
                  old-report:
                    job: app.tasks.report
                    schedule: "45 1 * * *"
                    enabled: false
                """
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try TockProcess.run(
            ["next", "app.yaml", "--from", "2026-03-29T00:30:00+01:00", "--count", "5", "--json"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["event"] as? String } == [
            "app.tasks.hourly@hourly", "old-report", "app.tasks.hourly@hourly", "invoices", "app.tasks.hourly@hourly",
        ])
        #expect(rows.map { $0["at"] as? String } == [
            "2026-03-29T01:00:00+01:00", "2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00",
            "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00",
        ])
        #expect(rows[1]["enabled"] as? Bool == false)
        #expect(rows[3]["queue"] as? String == "long")
        #expect(rows[3]["utc"] as? String == "2026-03-29T01:00:00Z")

        let text = try TockProcess.run(["next", "app.yaml", "--from", "2026-03-29T00:30:00+01:00", "--count", "2"], in: directory)
        #expect(text.stdout.contains("DISABLED"))
        let filtered = try TockProcess.run(
            ["next", "app.yaml", "--event", "invoices", "--from", "2026-03-29T00:30:00+01:00", "--count", "2", "--json"], in: directory)
        let only = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [[String: Any]])
        #expect(only.map { $0["event"] as? String } == ["invoices", "invoices"])
    }

    @Test func nextWithUnknownEventIsAUsageError() throws {
        let output = try TockProcess.run(["next", "--event", "no-such-event"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no event named 'no-such-event'"))
    }
}
