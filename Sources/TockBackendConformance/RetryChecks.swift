import Foundation
import TockCore

enum RetryChecks {
    @Sendable static func failedJobsRetryAfterTheirIntervals(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("flaky", retries: 2, intervals: [10, 60])], maxQueued: [:])
        var now = t0
        for (attempt, interval) in [(1, 10.0), (2, 60.0)] {
            guard let job = try await backend.claim(from: ["default"], worker: "w", now: now) else {
                throw ConformanceFailure("attempt \(attempt): nothing to claim")
            }
            let failed = try await backend.complete(job.id, worker: "w", outcome: .failed("boom \(attempt)", failureTTL: 100), now: now)
            try expectEqual(failed?.status, .scheduled, "attempt \(attempt) status")
            try expectEqual(failed?.scheduledFor, now + interval, "attempt \(attempt) retry time")
            try expectEqual(failed?.retriesLeft, 2 - attempt, "attempt \(attempt) retries left")
            try expectEqual(failed?.error, "boom \(attempt)", "attempt \(attempt) error")
            try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: now), nil, "claim before the retry is due")
            let next = try await backend.promoteDueJobs(now: now + interval - 1)
            try expectEqual(next, now + interval, "next due")
            _ = try await backend.promoteDueJobs(now: now + interval)
            try expectEqual(try await backend.job(job.id)?.status, .queued, "attempt \(attempt) promoted")
            now = now + interval
        }
        guard let last = try await backend.claim(from: ["default"], worker: "w", now: now) else {
            throw ConformanceFailure("last attempt: nothing to claim")
        }
        let final = try await backend.complete(last.id, worker: "w", outcome: .failed("boom 3", failureTTL: 100), now: now)
        try expectEqual(final?.status, .failed, "final status")
        try expectEqual(final?.expiresAt, now + 100, "failed expiry")
        // A failure a retry cannot help fails at once.
        _ = try await backend.enqueue([makeJob("unknown", retries: 3)], maxQueued: [:])
        guard let unknown = try await backend.claim(from: ["default"], worker: "w", now: now) else {
            throw ConformanceFailure("nothing to claim")
        }
        let refused = try await backend.complete(
            unknown.id, worker: "w", outcome: .failedWithoutRetry("no handler for job 'x' on worker w", failureTTL: 100), now: now)
        try expectEqual(refused?.status, .failed, "no-retry failure status")
        try expectEqual(refused?.retriesLeft, 3, "retries left untouched")
    }

    @Sendable static func delayedJobsBecomeQueuedOnTime(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("later", scheduledFor: t0 + 30), makeJob("much-later", scheduledFor: t0 + 90)], maxQueued: [:])
        try expectEqual(try await backend.job(JobID(unchecked: "later"))?.status, .scheduled, "status before")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 29), nil, "claim before due")
        try expectEqual(try await backend.promoteDueJobs(now: t0 + 29), t0 + 30, "next due before")
        try expectEqual(try await backend.promoteDueJobs(now: t0 + 30), t0 + 90, "next due after the first")
        let job = try await backend.job(JobID(unchecked: "later"))
        try expectEqual(job?.status, .queued, "status after")
        try expectEqual(job?.enqueuedAt, t0 + 30, "enqueued at")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 31)?.id.rawValue, "later", "claimed")
        _ = try await backend.promoteDueJobs(now: t0 + 100)
        try expectEqual(try await backend.promoteDueJobs(now: t0 + 100), nil, "nothing left to promote")
    }

    @Sendable static func interruptedJobsGoBackToTheirQueue(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("j")], maxQueued: [:])
        guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0) else {
            throw ConformanceFailure("nothing to claim")
        }
        let back = try await backend.complete(job.id, worker: "w", outcome: .interrupted, now: t0 + 5)
        try expectEqual(back?.status, .queued, "status")
        try expectEqual(back?.worker, nil, "worker")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w2", now: t0 + 6)?.id, job.id, "claimed again")
    }
}
