import Foundation
import TockCore

enum ClaimChecks {
    @Sendable static func claimFollowsQueuePriorityThenAge(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue(
            [
                makeJob("default-old", queue: "default", at: t0), makeJob("default-new", queue: "default", at: t0 + 1),
                makeJob("short-new", queue: "short", at: t0 + 2), makeJob("short-newer", queue: "short", at: t0 + 3),
                makeJob("long", queue: "long", at: t0),
            ], maxQueued: [:])
        var order: [String] = []
        while let job = try await backend.claim(from: ["short", "default"], worker: "w1", now: t0 + 10) {
            order.append(job.id.rawValue)
            try expectEqual(job.status, .started, "claimed status")
            try expectEqual(job.worker, "w1", "claimed worker")
            try expectEqual(job.startedAt, t0 + 10, "started at")
        }
        try expectEqual(order, ["short-new", "short-newer", "default-old", "default-new"], "claim order")
        try expectEqual(try await backend.job(JobID(unchecked: "long"))?.status, .queued, "job on an unlisted queue")
    }

    @Sendable static func concurrentClaimsTakeEachJobOnce(_ backend: any TockBackend) async throws {
        let jobs = (0..<200).map { makeJob("job-\($0)", at: t0 + Double($0) / 1000) }
        _ = try await backend.enqueue(jobs, maxQueued: [:])
        let claimed = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for claimer in 0..<8 {
                group.addTask {
                    var mine: [JobID] = []
                    while let job = try await backend.claim(from: ["default"], worker: "w\(claimer)", now: t0 + 5) {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            var all: [JobID] = []
            for try await mine in group { all += mine }
            return all
        }
        try expectEqual(claimed.count, 200, "claims")
        try expectEqual(Set(claimed).count, 200, "distinct jobs claimed")
    }

    @Sendable static func completeOnlyByTheClaimingWorker(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("j")], maxQueued: [:])
        guard let job = try await backend.claim(from: ["default"], worker: "w1", now: t0 + 1) else {
            throw ConformanceFailure("nothing to claim")
        }
        let stranger = try await backend.complete(job.id, worker: "w2", outcome: .finished(nil, resultTTL: 600), now: t0 + 2)
        try expectEqual(stranger, nil, "completion by another worker")
        try expectEqual(try await backend.job(job.id)?.status, .started, "status after a stranger's completion")
        let done = try await backend.complete(job.id, worker: "w1", outcome: .finished(["ok": true], resultTTL: 600), now: t0 + 3)
        try expectEqual(done?.status, .finished, "status")
        try expectEqual(done?.result, ["ok": true], "result")
        try expectEqual(done?.endedAt, t0 + 3, "ended at")
        try expectEqual(done?.expiresAt, t0 + 603, "expires at")
        try expectEqual(try await backend.job(job.id), done, "stored after completion")
        let twice = try await backend.complete(job.id, worker: "w1", outcome: .failed("late", failureTTL: 60), now: t0 + 4)
        try expectEqual(twice, nil, "a second completion")
    }

    @Sendable static func completeThenClaimTakesTheNextJob(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("first", at: t0), makeJob("second", at: t0 + 1)], maxQueued: [:])
        guard let first = try await backend.claim(from: ["default"], worker: "w", now: t0 + 2) else {
            throw ConformanceFailure("nothing to claim")
        }
        let (completed, next) = try await backend.complete(
            first.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 3, thenClaimFrom: ["default"])
        try expectEqual(completed?.status, .finished, "completed job")
        try expectEqual(next?.id.rawValue, "second", "next job")
        try expectEqual(next?.status, .started, "next status")
        try expectEqual(next?.worker, "w", "next worker")
        let (_, none) = try await backend.complete(
            next!.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 4, thenClaimFrom: ["default"])
        try expectEqual(none, nil, "next job when the queue is empty")
        // A completion that does not apply still claims: the worker is free either way.
        _ = try await backend.enqueue([makeJob("third", at: t0 + 5)], maxQueued: [:])
        let (stale, third) = try await backend.complete(
            first.id, worker: "w", outcome: .failed("late", failureTTL: 100), now: t0 + 6, thenClaimFrom: ["default"])
        try expectEqual(stale, nil, "a second completion")
        try expectEqual(third?.id.rawValue, "third", "claimed after a stale completion")
    }

    /// A worker stalled past the heartbeat timeout: its job was declared abandoned,
    /// requeued and claimed again by a worker of the same name. The stalled claim's late
    /// end (its `claimedAt` is the first claim's start) is refused, with or without a
    /// claim after it; the later run's end is recorded.
    @Sendable static func aLateEndOfAnEarlierClaimIsRefused(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("j")], maxQueued: [:])
        _ = try await backend.heartbeat(makeWorker("w", heartbeat: t0), runningJobs: [], now: t0)
        guard let first = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1), first.id.rawValue == "j" else {
            throw ConformanceFailure("nothing to claim")
        }
        let abandoned = try await backend.recoverAbandonedJobs(now: t0 + 100, heartbeatTimeout: 30, failureTTL: 600)
        try expectEqual(abandoned.map(\.id.rawValue), ["j"], "jobs declared abandoned")
        _ = try await backend.requeue(first.id, now: t0 + 101)
        guard let second = try await backend.claim(from: ["default"], worker: "w", now: t0 + 102), second.id == first.id else {
            throw ConformanceFailure("the requeued job was not claimed again")
        }
        _ = try await backend.enqueue([makeJob("other", at: t0 + 102)], maxQueued: [:])
        let late = try await backend.complete(
            first.id, worker: "w", claimedAt: first.startedAt, outcome: .finished(["late": true], resultTTL: 600), now: t0 + 103)
        try expectEqual(late, nil, "the first claim's late end")
        let (lateAgain, next) = try await backend.complete(
            first.id, worker: "w", claimedAt: first.startedAt, outcome: .failed("late", failureTTL: 600), now: t0 + 104,
            thenClaimFrom: ["default"])
        try expectEqual(lateAgain, nil, "the first claim's late end, with a claim after it")
        try expectEqual(next?.id.rawValue, "other", "claimed after a refused end")
        let running = try await backend.job(first.id)
        try expectEqual(running?.status, .started, "status of the later run")
        try expectEqual(running?.startedAt, t0 + 102, "start of the later run")
        try expectEqual(running?.result, nil, "result of the later run")
        let done = try await backend.complete(
            first.id, worker: "w", claimedAt: second.startedAt, outcome: .finished(["second": true], resultTTL: 600), now: t0 + 105)
        try expectEqual(done?.status, .finished, "the later run's end")
        try expectEqual(try await backend.job(first.id)?.result, ["second": true], "result kept")
        try expectEqual(try await backend.job(first.id)?.endedAt, t0 + 105, "ended at")
    }
}
