import Foundation
import Testing
import TockCore

/// The delay before each retry, as RQ 2.x computes it (`Job.get_retry_interval`), for
/// fewer, as many and more intervals than retries.
@Suite struct JobLifecycleRetryTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Fails the job run after run until it has no retries left; the delays it waited.
    func delays(retries: Int, intervals: [Int]) -> [Int] {
        var job = Job(
            id: JobID(unchecked: "j"), name: "app.work", queue: "default", timeout: 60, status: .queued,
            createdAt: now, retriesLeft: retries, retryIntervals: intervals, origin: "test")
        var waited: [Int] = []
        while true {
            job = job.claimed(by: "w", now: now).completed(.failed("boom", failureTTL: 60), now: now)
            guard job.status == .scheduled, let due = job.scheduledFor else { break }
            waited.append(Int(due.timeIntervalSince(now)))
            job = job.promoted(now: due)
        }
        #expect(job.status == .failed)
        return waited
    }

    @Test func moreRetriesThanIntervalsRepeatTheFirstEarly() {
        #expect(delays(retries: 3, intervals: [10, 60]) == [10, 10, 60])
    }

    @Test func asManyRetriesAsIntervalsTakeThemInOrder() {
        #expect(delays(retries: 3, intervals: [10, 60, 300]) == [10, 60, 300])
    }

    @Test func fewerRetriesThanIntervalsTakeTheLastOnes() {
        #expect(delays(retries: 2, intervals: [10, 60, 300]) == [60, 300])
    }

    @Test func noIntervalsWaitTenSeconds() {
        #expect(delays(retries: 2, intervals: []) == [10, 10])
    }
}
