import Foundation
import Testing
import TockCore

/// A job's own result and failure TTLs (RQ's `result_ttl`/`failure_ttl`) win over the
/// configured ones; negative keeps it until deleted.
@Suite struct JobLifecycleTTLTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func started(resultTTL: Int? = nil, failureTTL: Int? = nil) -> Job {
        Job(
            id: JobID(unchecked: "j"), name: "app.work", queue: "default", timeout: 60, status: .started,
            createdAt: now, startedAt: now, worker: "w", origin: "rq", resultTTL: resultTTL, failureTTL: failureTTL)
    }

    @Test func configuredTTLsApplyWithoutTheJobsOwn() {
        #expect(started().completed(.finished(nil, resultTTL: 600), now: now).expiresAt == now + 600)
        #expect(started().completed(.failedWithoutRetry("x", failureTTL: 60), now: now).expiresAt == now + 60)
    }

    @Test func theJobsOwnTTLsWin() {
        let job = started(resultTTL: 86_400, failureTTL: 5)
        #expect(job.completed(.finished(nil, resultTTL: 600), now: now).expiresAt == now + 86_400)
        #expect(job.completed(.failedWithoutRetry("x", failureTTL: 60), now: now).expiresAt == now + 5)
        #expect(job.completed(.stopped(failureTTL: 60), now: now).expiresAt == now + 5)
        #expect(job.abandoned(now: now, failureTTL: 60).expiresAt == now + 5)
    }

    @Test func negativeKeepsItUntilDeleted() throws {
        let job = started(resultTTL: -1, failureTTL: -1)
        let finished = job.completed(.finished(nil, resultTTL: 600), now: now)
        #expect(finished.status == .finished && finished.expiresAt == nil)
        #expect(job.completed(.failedWithoutRetry("x", failureTTL: 60), now: now).expiresAt == nil)
        var waiting = job
        waiting.status = .queued
        #expect(try waiting.canceled(now: now, failureTTL: 60).expiresAt == nil)
    }
}
