import Foundation
import TockCore
import TockValues

enum EnqueueChecks {
    @Sendable static func enqueueStoresTheJobAndLogsAnEvent(_ backend: any TockBackend) async throws {
        let job = makeJob("job-1", args: [2, 3], kwargs: ["region": "eu", "dry": true])
        let outcomes = try await backend.enqueue([job], maxQueued: [:])
        try expectEqual(outcomes.map(\.created), [true], "created")
        let stored = try await backend.job(job.id)
        try expectEqual(stored, job, "stored job")
        let events = try await backend.events(after: 0, limit: 10)
        try expectEqual(events.map(\.status), [.queued], "event statuses")
        try expectEqual(events.first?.job, job.id, "event job")
    }

    @Sendable static func enqueueIsIdempotentById(_ backend: any TockBackend) async throws {
        let first = makeJob("same-id", name: "app.first")
        _ = try await backend.enqueue([first], maxQueued: [:])
        let second = try await backend.enqueue([makeJob("same-id", name: "app.second")], maxQueued: [:])
        try expectEqual(second.map(\.created), [false], "second enqueue created")
        try expectEqual(second.first?.job.name, "app.first", "returned job")
        // Still a no-op once the job has finished: running it again is an explicit requeue.
        guard let claimed = try await backend.claim(from: ["default"], worker: "w1", now: t0) else {
            throw ConformanceFailure("nothing to claim")
        }
        _ = try await backend.complete(claimed.id, worker: "w1", outcome: .finished(1, resultTTL: 600), now: t0)
        let third = try await backend.enqueue([makeJob("same-id", name: "app.third")], maxQueued: [:])
        try expectEqual(third.first?.created, false, "enqueue after finish created")
        try expectEqual(third.first?.job.status, .finished, "status after re-enqueue")
        // The same id twice within one call is stored once.
        let pair = try await backend.enqueue([makeJob("pair"), makeJob("pair")], maxQueued: [:])
        try expectEqual(pair.map(\.created), [true, false], "duplicate within one call")
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 100)).count, 2, "jobs stored")
    }

    @Sendable static func fullQueueRefusesTheWholeBatch(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("a"), makeJob("b")], maxQueued: ["default": 3])
        try await expectTockError("third and fourth into a queue of 3", { error in
            if case .queueFull("default", 3) = error { return true }
            return false
        }) {
            _ = try await backend.enqueue([makeJob("c"), makeJob("d")], maxQueued: ["default": 3])
        }
        try expectEqual(try await backend.job(JobID(unchecked: "c")), nil, "job c after refusal")
        // Existing ids do not count against the limit, and other queues are not limited.
        let again = try await backend.enqueue([makeJob("a"), makeJob("c"), makeJob("x", queue: "long")], maxQueued: ["default": 3])
        try expectEqual(again.map(\.created), [false, true, true], "created")
        // Scheduled (delayed) jobs are not queued yet and do not count.
        _ = try await backend.enqueue([makeJob("later", scheduledFor: t0 + 60)], maxQueued: ["default": 3])
    }
}
