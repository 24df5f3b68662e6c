import Foundation
import TockCore

enum EventChecks {
    @Sendable static func eventsFollowFromACursor(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("e1")], maxQueued: [:])
        let first = try await backend.events(after: 0, limit: 100)
        guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1) else {
            throw ConformanceFailure("nothing to claim")
        }
        _ = try await backend.complete(job.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 2)
        let all = try await backend.events(after: 0, limit: 100)
        try expectEqual(all.map(\.status), [.queued, .started, .finished], "statuses")
        try expect(zip(all, all.dropFirst()).allSatisfy { $0.cursor < $1.cursor }, "cursors increase: \(all.map(\.cursor))")
        let rest = try await backend.events(after: first.last!.cursor, limit: 100)
        try expectEqual(rest.map(\.status), [.started, .finished], "events after the first cursor")
        try expectEqual(try await backend.events(after: all.last!.cursor, limit: 100), [], "events after the last cursor")
        try expectEqual(try await backend.events(after: 0, limit: 1).count, 1, "limit")
        try expectEqual(all.last?.at, t0 + 2, "event time")
    }

    @Sendable static func newestEventCursorIsTheLastLogged(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.newestEventCursor(), 0, "newest cursor of an empty log")
        _ = try await backend.enqueue([makeJob("n1"), makeJob("n2")], maxQueued: [:])
        _ = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1)
        let all = try await backend.events(after: 0, limit: 100)
        try expectEqual(all.count, 3, "events logged")
        try expectEqual(try await backend.newestEventCursor(), all.last?.cursor, "newest cursor")
        try expectEqual(try await backend.events(after: try await backend.newestEventCursor(), limit: 10), [], "events after the newest cursor")
    }

    @Sendable static func progressIsStoredAndLogged(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("p")], maxQueued: [:])
        guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0) else {
            throw ConformanceFailure("nothing to claim")
        }
        try await backend.reportProgress(job.id, progress: JobProgress(percent: 42, message: "importing"), now: t0 + 1)
        try expectEqual(try await backend.job(job.id)?.progress, JobProgress(percent: 42, message: "importing"), "stored progress")
        let last = try await backend.events(after: 0, limit: 100).last
        try expectEqual(last?.status, .started, "progress event status")
        try expectEqual(last?.progress?.percent, 42, "progress event percent")
    }

    @Sendable static func waitForChangeWakesOnEnqueueAndTimesOut(_ backend: any TockBackend) async throws {
        let clock = ContinuousClock()
        var started = clock.now
        await backend.waitForChange(timeout: .milliseconds(200))
        try expect(clock.now - started >= .milliseconds(150), "waitForChange returned early without a change")
        started = clock.now
        async let waited: Void = backend.waitForChange(timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(100))
        _ = try await backend.enqueue([makeJob("wake")], maxQueued: [:])
        await waited
        try expect(clock.now - started < .seconds(10), "waitForChange did not wake on enqueue")
    }
}
