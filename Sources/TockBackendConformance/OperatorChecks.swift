import Foundation
import TockCore

enum OperatorChecks {
    @Sendable static func operatorActionsFollowTheLifecycle(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("waiting"), makeJob("running")], maxQueued: [:])
        let canceled = try await backend.cancel(JobID(unchecked: "waiting"), now: t0 + 1, failureTTL: 100)
        try expectEqual(canceled.status, .canceled, "cancel")
        try expectEqual(try await backend.job(canceled.id)?.status, .canceled, "stored cancel")
        guard let running = try await backend.claim(from: ["default"], worker: "w", now: t0 + 2) else {
            throw ConformanceFailure("nothing to claim")
        }
        try expectEqual(running.id.rawValue, "running", "a canceled job is never claimed")
        try await expectTockError("cancel a started job", { if case .invalidTransition = $0 { true } else { false } }) {
            _ = try await backend.cancel(running.id, now: t0 + 3, failureTTL: 100)
        }
        try await expectTockError("stop a canceled job", { if case .invalidTransition = $0 { true } else { false } }) {
            _ = try await backend.requestStop(canceled.id, now: t0 + 3)
        }
        try await expectTockError("requeue a started job", { if case .invalidTransition = $0 { true } else { false } }) {
            _ = try await backend.requeue(running.id, now: t0 + 3)
        }
        try await expectTockError("cancel a missing job", { if case .jobNotFound = $0 { true } else { false } }) {
            _ = try await backend.cancel(JobID(unchecked: "missing"), now: t0 + 3, failureTTL: 100)
        }
        let requeued = try await backend.requeue(canceled.id, now: t0 + 4)
        try expectEqual(requeued.status, .queued, "requeue")
        try expectEqual(requeued.enqueuedAt, t0 + 4, "requeued at")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 5)?.id, canceled.id, "requeued job claimed")
        try expectEqual(try await backend.delete(running.id), true, "delete")
        try expectEqual(try await backend.job(running.id), nil, "deleted job")
        try expectEqual(try await backend.delete(running.id), false, "delete twice")
    }

    @Sendable static func requeueFailedRequeuesEveryFailedJob(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("f1"), makeJob("f2"), makeJob("ok")], maxQueued: [:])
        for _ in 0..<3 {
            guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0) else { continue }
            let outcome: JobOutcome = job.id.rawValue == "ok" ? .finished(nil, resultTTL: 100) : .failed("bad", failureTTL: 100)
            _ = try await backend.complete(job.id, worker: "w", outcome: outcome, now: t0 + 1)
        }
        let requeued = try await backend.requeueFailed(now: t0 + 2)
        try expectEqual(Set(requeued.map(\.id.rawValue)), ["f1", "f2"], "requeued")
        try expect(requeued.allSatisfy { $0.status == .queued && $0.error == nil && $0.worker == nil }, "requeued jobs are fresh: \(requeued)")
        try expectEqual(try await backend.job(JobID(unchecked: "ok"))?.status, .finished, "finished job untouched")
        try expectEqual(try await backend.requeueFailed(now: t0 + 3).count, 0, "second requeue")
    }

    @Sendable static func expiredJobsArePurged(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("done"), makeJob("broken"), makeJob("waiting")], maxQueued: [:])
        for _ in 0..<2 {
            guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0) else { continue }
            let outcome: JobOutcome = job.id.rawValue == "done" ? .finished(nil, resultTTL: 10) : .failed("x", failureTTL: 50)
            _ = try await backend.complete(job.id, worker: "w", outcome: outcome, now: t0)
        }
        try expectEqual(try await backend.purgeExpired(now: t0 + 9), 0, "purged before the TTL")
        try expectEqual(try await backend.purgeExpired(now: t0 + 10), 1, "purged at the result TTL")
        try expectEqual(try await backend.job(JobID(unchecked: "done")), nil, "finished job after its TTL")
        try expectEqual(try await backend.purgeExpired(now: t0 + 1000), 1, "purged at the failure TTL")
        try expectEqual(try await backend.job(JobID(unchecked: "waiting"))?.status, .queued, "waiting job is never purged")
        // Once purged, the id can be used again.
        try expectEqual(try await backend.enqueue([makeJob("done")], maxQueued: [:]).first?.created, true, "id reused after purge")
    }

    @Sendable static func listingsFilterAndCount(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue(
            [
                makeJob("a", queue: "short", at: t0), makeJob("b", queue: "default", at: t0 + 1),
                makeJob("c", queue: "default", at: t0 + 2), makeJob("d", queue: "long", at: t0 + 3, scheduledFor: t0 + 100),
            ], maxQueued: [:])
        _ = try await backend.claim(from: ["default"], worker: "w", now: t0 + 5)
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 10)).map(\.id.rawValue), ["d", "c", "b", "a"], "newest first")
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 2)).map(\.id.rawValue), ["d", "c"], "limit")
        try expectEqual(try await backend.jobs(matching: JobFilter(status: .queued)).map(\.id.rawValue), ["c", "a"], "by status")
        try expectEqual(try await backend.jobs(matching: JobFilter(queue: "default")).map(\.id.rawValue), ["c", "b"], "by queue")
        let counts = try await backend.queueCounts()
        try expectEqual(counts["default"], [.queued: 1, .started: 1], "default counts")
        try expectEqual(counts["short"], [.queued: 1], "short counts")
        try expectEqual(counts["long"], [.scheduled: 1], "long counts")
    }
}
