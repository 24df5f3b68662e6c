import Foundation
import Testing
import TockSchedule

/// Nested aliases and merge keys: a small file cannot take the memory and time of its
/// expansion; it is an ordinary problem with a place and a way out.
@Suite(.timeLimit(.minutes(1))) struct ExpansionLimitTests {
    /// The billion laughs: `levels` anchors, each a list of nine aliases of the one before.
    static func laughs(levels: Int, under prefix: String = "") -> String {
        var lines = [prefix + "a: &a [x,x,x,x,x,x,x,x,x]"]
        var previous = "a"
        for index in 1..<levels {
            let name = "l\(index)"
            lines.append(prefix + "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
            previous = name
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func billionLaughsIsRejectedAtTheAliasThatCrossesTheLimit() throws {
        let text = Self.laughs(levels: 10)
        #expect(text.utf8.count < 600)
        let started = ContinuousClock.now
        let (result, path) = try load(text)
        #expect(ContinuousClock.now - started < .seconds(2))
        let problem = try onlyProblem(result)
        #expect(problem.file == path)
        // The first alias of l4 (66,430 nodes) in l5's list takes the count past 100,000 + 2 per byte.
        #expect(problem.line == 6, "\(problem)")
        #expect(problem.column == 10, "\(problem)")
        #expect(problem.message.hasPrefix("YAML aliases expand this file past the limit of \(YAMLExpansion.limit(byteCount: text.utf8.count)) nodes"))
        #expect(problem.message.contains("write the values out or use fewer nested aliases"))
    }

    @Test func anAliasAsAMapKeyIsCountedBeforeYamsComparesKeys() throws {
        let text = Self.laughs(levels: 10, under: "  ") + "? *l9\n: 1\n"
        let started = ContinuousClock.now
        let (result, _) = try load("x:\n" + text)
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(result.errors.first?.message.contains("YAML aliases expand this file past the limit") == true, "\(result.problems)")
    }

    @Test func mergeKeyChainsCountWhatTheyMerge() throws {
        // Each level merges the one before twice: 2^40 pairs from 40 lines.
        var lines = ["d0: &d0 {k0: v}"]
        for index in 1..<40 {
            lines.append("d\(index): &d\(index) {<<: [*d\(index - 1), *d\(index - 1)], k\(index): v}")
        }
        let started = ContinuousClock.now
        let (result, _) = try load("events:\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n")
        #expect(ContinuousClock.now - started < .seconds(2))
        let problem = try #require(result.errors.first, "\(result.problems)")
        #expect(problem.message.contains("YAML aliases expand this file past the limit"), "\(problem)")
        #expect(problem.line > 1)
    }

    @Test func ordinaryAliasesAndMergeKeysStillLoad() throws {
        let (result, _) = try load("""
            jobs:
              app.sync: &job
                command: ["/bin/true"]
                timeout: 1m
              app.other:
                <<: *job
                queue: long
            events:
              sync: &every-hour
                job: app.sync
                schedule: "0 * * * *"
                args: &args [1, 2, {region: eu}]
              other:
                <<: *every-hour
                job: app.other
                args: [*args, *args]
            """)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.schedules.events.count == 2)
    }
}
