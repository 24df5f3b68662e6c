import Foundation
import TockCore

/// Paused queues (``TockCore/QueueControl``): they accept jobs, no claim takes from them,
/// resuming gives their jobs back to the workers; and the oldest queued job's time.
enum QueuePauseChecks {
    @Sendable static func pausedQueueAcceptsJobsAndIsSkipped(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue(
            [
                makeJob("short-1", queue: "short", at: t0), makeJob("short-2", queue: "short", at: t0 + 1),
                makeJob("default-1", at: t0 + 2), makeJob("default-2", at: t0 + 3),
            ], maxQueued: [:])
        try expectEqual(try await backend.pausedQueues(), [], "paused queues at first")
        try expectEqual(try await backend.pauseQueue("short"), true, "the first pause changed something")
        try expectEqual(try await backend.pauseQueue("short"), false, "pausing a paused queue changed something")
        try expectEqual(try await backend.pausedQueues(), ["short"], "paused queues")
        let late = try await backend.enqueue([makeJob("short-3", queue: "short", at: t0 + 4)], maxQueued: ["short": 10])
        try expectEqual(late.map(\.created), [true], "enqueue into a paused queue created the job")
        try expectEqual(late.first?.job.status, .queued, "status of a job enqueued into a paused queue")

        let first = try await backend.claim(from: ["short", "default"], worker: "w1", now: t0 + 10)
        try expectEqual(first?.id.rawValue, "default-1", "claim with the first queue paused")
        guard let first else { throw ConformanceFailure("nothing claimed") }
        let next = try await backend.complete(
            first.id, worker: "w1", outcome: .finished(nil, resultTTL: 600), now: t0 + 11, thenClaimFrom: ["short", "default"])
        try expectEqual(next.next?.id.rawValue, "default-2", "complete-then-claim with the first queue paused")
        let none = try await backend.complete(
            JobID(unchecked: "default-2"), worker: "w1", outcome: .finished(nil, resultTTL: 600), now: t0 + 12,
            thenClaimFrom: ["short", "default"])
        try expectEqual(none.next, nil, "complete-then-claim from a paused queue")
        try expectEqual(try await backend.claim(from: ["short"], worker: "w2", now: t0 + 13), nil, "claim from a paused queue")
        try expectEqual(try await backend.queueCounts()["short"]?[.queued], 3, "queued jobs of the paused queue")
        for id in ["short-1", "short-2", "short-3"] {
            try expectEqual(try await backend.job(JobID(unchecked: id))?.status, .queued, "status of \(id) while paused")
        }

        try expectEqual(try await backend.resumeQueue("short"), true, "the resume changed something")
        try expectEqual(try await backend.resumeQueue("short"), false, "resuming a running queue changed something")
        try expectEqual(try await backend.pausedQueues(), [], "paused queues after the resume")
        var order: [String] = []
        while let job = try await backend.claim(from: ["short"], worker: "w2", now: t0 + 14) { order.append(job.id.rawValue) }
        try expectEqual(order, ["short-1", "short-2", "short-3"], "claims after the resume")
    }

    @Sendable static func pausingOneQueueLeavesOthersAlone(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("a", queue: "long"), makeJob("b")], maxQueued: [:])
        _ = try await backend.pauseQueue("never-used")
        _ = try await backend.pauseQueue("long")
        try expectEqual(try await backend.pausedQueues(), ["never-used", "long"], "paused queues")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 1)?.id.rawValue, "b", "claim from a running queue")
        _ = try await backend.resumeQueue("never-used")
        try expectEqual(try await backend.pausedQueues(), ["long"], "paused queues after resuming the other")
        try expectEqual(try await backend.claim(from: ["long"], worker: "w", now: t0 + 2), nil, "claim from the queue still paused")
    }

    @Sendable static func resumeWakesWaitingWorkers(_ backend: any TockBackend) async throws {
        _ = try await backend.pauseQueue("default")
        _ = try await backend.enqueue([makeJob("held")], maxQueued: [:])
        // Ends at once if the writes above count as a change not seen yet.
        await backend.waitForChange(timeout: .milliseconds(200))
        let clock = ContinuousClock()
        let started = clock.now
        async let waited: Void = backend.waitForChange(timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(100))
        _ = try await backend.resumeQueue("default")
        await waited
        try expect(clock.now - started < .seconds(10), "waitForChange did not wake on a resume")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 1)?.id.rawValue, "held", "claim after the resume")
    }

    @Sendable static func oldestQueuedAtIsTheHeadOfTheClaimOrder(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.oldestQueuedAt(in: ["default"]), [:], "oldest of an empty queue")
        _ = try await backend.enqueue(
            [makeJob("first", at: t0 + 1), makeJob("second", at: t0 + 3), makeJob("third", at: t0 + 5), makeJob("s", queue: "short", at: t0 + 7)],
            maxQueued: [:])
        try expectEqual(
            try await backend.oldestQueuedAt(in: ["default", "short", "long"]), ["default": t0 + 1, "short": t0 + 7], "oldest queued")
        _ = try await backend.claim(from: ["default"], worker: "w", now: t0 + 10)
        try expectEqual(try await backend.oldestQueuedAt(in: ["default"]), ["default": t0 + 3], "oldest after a claim")
        _ = try await backend.cancel(JobID(unchecked: "second"), now: t0 + 11, failureTTL: 600)
        try expectEqual(try await backend.oldestQueuedAt(in: ["default"]), ["default": t0 + 5], "oldest after canceling the head")
        _ = try await backend.pauseQueue("default")
        try expectEqual(try await backend.oldestQueuedAt(in: ["default"]), ["default": t0 + 5], "oldest of a paused queue")
    }
}
