import Foundation
import Synchronization
import TockCore

extension Worker {
    /// What a slot found: a job, and otherwise when the next scheduled job is due.
    struct Claim: Sendable {
        var job: Job?
        var nextDue: Date?
    }

    /// Claims the next job of the slot's queues, in priority order. Queues due scheduled
    /// jobs (retries, delayed jobs) first: at most once a second per worker while jobs
    /// keep coming, and always before the slot goes idle (which then knows when the next
    /// one is due).
    func nextJob(for slot: String) async throws -> Claim {
        var nextDue: Date?
        let promoted = promotions.isDue(now: Date())
        if promoted {
            nextDue = try await backend.promoteDueJobs(now: Date())
        }
        if let job = try await backend.claim(from: queues, worker: slot, now: Date()) {
            return Claim(job: job)
        }
        guard !promoted else { return Claim(nextDue: nextDue) }
        promotions.record(Date())
        nextDue = try await backend.promoteDueJobs(now: Date())
        return Claim(job: try await backend.claim(from: queues, worker: slot, now: Date()), nextDue: nextDue)
    }
}

/// When this worker last queued due scheduled jobs, shared by its slots.
final class PromotionThrottle: Sendable {
    private let last = Mutex<Date?>(nil)
    private let interval: TimeInterval = 1

    /// Whether a promotion is due at `now`; if so, counts it as done.
    func isDue(now: Date) -> Bool {
        last.withLock { last in
            if let previous = last, now.timeIntervalSince(previous) < interval { return false }
            last = now
            return true
        }
    }

    /// Whether a promotion would be due at `now`, without counting one.
    func wouldBeDue(now: Date) -> Bool {
        last.withLock { last in last.map { now.timeIntervalSince($0) >= interval } ?? true }
    }

    /// Counts a promotion done at `now`.
    func record(_ now: Date) {
        last.withLock { $0 = now }
    }
}
