import TockValues
import Foundation
import Testing
@testable import TockSchedule

/// Durations, JSON values, nearest matches and jitter on their own.
@Suite struct ValueTests {
    @Test(arguments: [
        ("30s", 30), ("45m", 2700), ("2h", 7200), ("1h30m", 5400), ("1d", 86_400), ("90", 90), ("0", 0),
        ("1d2h3m4s", 93_784), ("0s", 0),
    ])
    func durations(text: String, seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "s", "1.5", "-5", "30m1h", "1h1h", "1 h", "1H", "10x", "1h30", "99999999999999999999", "40000d"])
    func notDurations(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test(arguments: [(0, "0s"), (59, "59s"), (90, "1m30s"), (5400, "1h30m"), (86_400, "1d"), (93_784, "1d2h3m4s"), (-3, "0s")])
    func formattedDurationsReadBack(seconds: Int, text: String) {
        #expect(DurationText.format(seconds: seconds) == text)
        #expect(DurationText.seconds(text) == max(0, seconds))
    }

    @Test func jsonValueRoundTripsThroughJSON() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", true, nil], "b": ["nested": "yes"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        let text = String(decoding: try { let e = JSONEncoder(); e.outputFormatting = .sortedKeys; return try e.encode(value) }(), as: UTF8.self)
        #expect(text == #"{"a":[1,2.5,"x",true,null],"b":{"nested":"yes"}}"#)
        #expect(value["b"]?["nested"]?.stringValue == "yes")
        #expect(value["a"]?.numberValue == nil)
    }

    @Test func yamlScalarsBecomeTheirJSONTypes() throws {
        let (result, _) = try load(
            """
            events:
              e:
                job: j
                schedule: "@daily"
                args: [1, 0x10, 1_000, 2.5, "7", yes, "no", ~, text, 2026-01-01, {1: one}]
            """)
        #expect(result.errors.isEmpty)
        #expect(result.schedules.events.first?.args == [
            1, 16, 1000, 2.5, "7", true, "no", nil, "text", "2026-01-01", ["1": "one"],
        ])
    }

    @Test(arguments: [
        ("schedul", ["job", "schedule", "queue"], "schedule"),
        ("shcedule", ["job", "schedule"], "schedule"),
        ("Queue", ["job", "queue"], "queue"),
        ("lates", ["none", "latest", "all"], "latest"),
        ("Europe/Berln", ["Europe/Berlin", "Europe/Bern"], "Europe/Berlin"),
    ])
    func nearestMatch(word: String, candidates: [String], expected: String) {
        #expect(NearestMatch.nearest(to: word, in: candidates) == expected)
    }

    @Test(arguments: ["colour", "x", "timetable"])
    func noMatchWhenNothingIsClose(word: String) {
        #expect(NearestMatch.nearest(to: word, in: ["job", "schedule", "queue", "timeout", "jitter"]) == nil)
    }

    @Test func fnv1aKnownVectors() {
        #expect(ScheduledEvent.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(ScheduledEvent.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ScheduledEvent.fnv1a("foobar") == 0x85944171f73967e8)
    }

    @Test func jitterOffsetIsStableBoundedAndSpread() throws {
        let (result, _) = try load(
            "events:\n" + (0..<40).map { "  e\($0): {job: j, schedule: \"@hourly\", jitter: 30s}\n" }.joined())
        #expect(result.errors.isEmpty)
        let offsets = result.schedules.events.map(\.jitterOffset)
        #expect(offsets.count == 40)
        #expect(offsets.allSatisfy { (0...30).contains($0) })
        #expect(Set(offsets).count > 10)
        let first = try #require(result.schedules.event(named: "e0"))
        #expect(first.jitterOffset == Int(ScheduledEvent.fnv1a("e0") % 31))
        let again = try load("events:\n  e0: {job: j, schedule: \"@daily\", jitter: 30s}\n")
        #expect(again.result.schedules.event(named: "e0")?.jitterOffset == first.jitterOffset)
    }

    @Test func nextRunAddsTheJitterOffset() throws {
        let (result, _) = try load("events:\n  e0: {job: j, schedule: \"@hourly\", jitter: 30s}\n")
        let event = try #require(result.schedules.events.first)
        let offset = TimeInterval(event.jitterOffset)
        #expect(offset > 0)
        let start = ScheduleLoader.Options.testNow
        #expect(event.nextRun(after: start) == start.addingTimeInterval(offset))
        // Just after the jittered run, the next is an hour later.
        let next = start.addingTimeInterval(offset)
        #expect(event.nextRun(after: next) == next.addingTimeInterval(3600))
        // Between the fire time and its jittered run, the jittered run is still due.
        #expect(event.nextRun(after: start.addingTimeInterval(offset / 2)) == next)
    }
}

/// `tock check` reports args that enqueue would refuse (JobLimits), at the args' place.
@Suite struct ArgsLimitTests {
    @Test func argsNestedAThousandDeepAreAnErrorAtTheirPlace() throws {
        let deep = String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000)
        let (result, _) = try load(
            """
            events:
              deep:
                job: j
                schedule: "@daily"
                args: \(deep)
            """)
        try #require(result.errors.count == 1, "\(result.problems)")
        let problem = result.errors[0]
        #expect(problem.message == "event 'deep': 'args' nests deeper than 64 levels; at most 64 are accepted")
        #expect(problem.location.line == 5)
    }

    /// Ten lines of aliases, each a list of nine of the one before ("billion laughs"):
    /// 9^10 values once expanded. Refused at once (it took minutes and gigabytes before
    /// the budgets) by the first budget it meets — the file's YAML alias expansion — at
    /// the alias that crosses it.
    @Test func argsExpandingAliasesToBillionsOfValuesAreAnErrorAtOnce() throws {
        var lines = ["      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<10 {
            lines.append("      l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let started = ContinuousClock.now
        let (result, _) = try load(
            """
            events:
              bomb:
                job: j
                schedule: "@daily"
                args:
            \(lines.joined(separator: "\n"))
            """)
        #expect(started.duration(to: .now) < .seconds(10))
        try #require(result.errors.count == 1, "\(result.problems)")
        #expect(result.errors[0].message.hasPrefix("YAML aliases expand this file past the limit"), "\(result.errors[0].message)")
        #expect((6...15).contains(result.errors[0].location.line))
    }

    @Test func argsAtTheLimitAreFine() throws {
        let (result, _) = try load(
            """
            events:
              ok:
                job: j
                schedule: "@daily"
                args: \(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
            """)
        #expect(result.errors.isEmpty, "\(result.problems)")
    }
}
