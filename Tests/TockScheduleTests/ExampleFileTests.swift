import Foundation
import Testing
import TockSchedule

/// `schedules/example_app.yaml`, the file the docs point at, loads cleanly.
@Suite struct ExampleFileTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schedules/example_app.yaml").path

    @Test func loadsWithNoProblems() throws {
        let result = ScheduleLoader(options: .test).load(paths: [Self.path])
        #expect(result.problems.filter { $0.severity != .note }.map(\.description) == [])
        // The payday event's catch_up: all with the default overlap is explained.
        #expect(result.problems.map(\.message).filter { $0.hasPrefix("catch_up: all enqueues every instant missed") }.count == 1)
        #expect(result.schedules.files == [Self.path])
    }

    @Test func usesEveryKindOfDeclaration() throws {
        let set = ScheduleLoader(options: .test).load(paths: [Self.path]).schedules
        let frequencies = Set(set.events.compactMap(\.frequency))
        #expect(frequencies == Set(Frequency.allCases))
        #expect(set.events.contains { $0.expression.hasSeconds })
        #expect(set.events.contains { $0.expression.hashKey != nil && $0.scheduleText.contains("H") })
        #expect(set.events.contains { $0.isReboot })
        #expect(set.events.contains { $0.scheduleText.hasPrefix("@") && !$0.isReboot })
        #expect(set.events.contains { !$0.enabled })
        #expect(set.events.contains { $0.timeZone.identifier != "Europe/Berlin" })
        #expect(set.events.contains { $0.scheduleText.contains("L") })
        #expect(set.events.contains { $0.scheduleText.contains("#") })
        #expect(set.events.contains { $0.args != nil && $0.jitter > 0 && $0.timeout != nil })
        #expect(Set(set.events.map(\.catchUp)) == [.none, .latest, .all])
        #expect(Set(set.events.map(\.overlap)) == [.skip, .allow])
        #expect(set.jobs.values.contains { $0.retry != nil })
        let invoices = try #require(set.event(named: "send-invoices"))
        #expect(invoices.timeZone.identifier == "Europe/Berlin")
        #expect(invoices.queue == "long")
        #expect(invoices.timeout == 3600)
    }

    @Test func everyEventFiresOrIsAtBoot() throws {
        let set = ScheduleLoader(options: .test).load(paths: [Self.path]).schedules
        let start = ScheduleLoader.Options.testNow
        #expect(set.events.count == 26)
        for event in set.events where !event.isReboot {
            let next = try #require(event.nextRun(after: start), "\(event.name)")
            #expect(next > start)
            #expect(next < start.addingTimeInterval(366 * 86_400), "\(event.name)")
        }
    }
}
