import Foundation
import TockValues

/// Every change of a job's status, in one place (as RQ's `handle_job_failure`): what
/// happens when a job is enqueued, claimed, finishes, fails, times out, is abandoned,
/// stopped, canceled or requeued. Backends call these pure functions inside their own
/// atomic write, so every backend moves jobs the same way.
extension Job {
    /// `queued` → `started` by `worker`.
    public func claimed(by worker: String, now: Date) -> Job {
        var job = self
        job.status = .started
        job.worker = worker
        job.startedAt = now
        job.endedAt = nil
        job.lastHeartbeat = now
        job.progress = nil
        return job
    }

    /// Whether this is still the run that `worker` claimed at `claimedAt`: `started`, by
    /// `worker`, and (when `claimedAt` is given) with that `startedAt`, to the microsecond.
    /// A worker's end is recorded only then. The worker's name alone is not enough: a
    /// worker stalled past `heartbeat_timeout` (SIGSTOP, a paused VM) has its job declared
    /// abandoned and run again, perhaps by a worker of the same name (`--name` given
    /// twice, or the same hostname and pid in two containers); the claim's start time is
    /// the token that tells the two runs apart, as the scheduler's lease fences its writes.
    public func isRun(by worker: String, claimedAt: Date?) -> Bool {
        guard status == .started, self.worker == worker else { return false }
        guard let claimedAt else { return true }
        return startedAt.map(MicrosecondTime.microseconds) == MicrosecondTime.microseconds(claimedAt)
    }

    /// `started` → how the run ended. A failure with retries left becomes `scheduled`
    /// for now + the next retry interval (10 s when none is given) and then queued
    /// again; otherwise it is `failed`, kept for the failure TTL.
    public func completed(_ outcome: JobOutcome, now: Date) -> Job {
        var job = self
        job.lastHeartbeat = now
        job.stopRequested = false
        switch outcome.kind {
        case .finished(let result):
            job.status = .finished
            job.result = result
            job.error = nil
            job.endedAt = now
            job.expiresAt = Self.expiry(now, keptFor: resultTTL ?? outcome.resultTTL)
        case .failed(let error, let retryable):
            job.error = String(error.suffix(Self.maximumErrorLength))
            job.endedAt = now
            if retryable, job.retriesLeft > 0 {
                let interval = RetryPolicy.interval(job.retryIntervals, retriesLeft: job.retriesLeft) ?? 10
                job.retriesLeft -= 1
                job.status = .scheduled
                job.scheduledFor = now.addingTimeInterval(Double(interval))
                job.enqueuedAt = nil
                job.expiresAt = nil
            } else {
                job.status = .failed
                job.expiresAt = Self.expiry(now, keptFor: failureTTL ?? outcome.failureTTL)
            }
        case .stopped:
            job.status = .stopped
            job.error = "stopped by an operator"
            job.endedAt = now
            job.expiresAt = Self.expiry(now, keptFor: failureTTL ?? outcome.failureTTL)
        case .interrupted:
            job.status = .queued
            job.enqueuedAt = now
            job.startedAt = nil
            job.worker = nil
            job.progress = nil
        }
        return job
    }

    /// A `started` job whose worker stopped heartbeating: retried or failed as
    /// `abandoned: worker W stopped heartbeating`.
    public func abandoned(now: Date, failureTTL: Int) -> Job {
        completed(.failed("abandoned: worker \(worker ?? "?") stopped heartbeating", failureTTL: failureTTL), now: now)
    }

    /// `scheduled` whose time has come → `queued`.
    public func promoted(now: Date) -> Job {
        var job = self
        job.status = .queued
        job.enqueuedAt = now
        job.scheduledFor = nil
        return job
    }

    /// A waiting job withdrawn by an operator → `canceled`.
    public func canceled(now: Date, failureTTL: Int) throws(TockError) -> Job {
        guard status.isWaiting else {
            throw .invalidTransition(id, status: status, action: "cancel", allowed: "queued, scheduled or deferred")
        }
        var job = self
        job.status = .canceled
        job.endedAt = now
        job.expiresAt = Self.expiry(now, keptFor: self.failureTTL ?? failureTTL)
        return job
    }

    /// A `started` job asked to stop: the worker running it sees the request at its next
    /// heartbeat and reports ``JobOutcome/stopped(failureTTL:)``.
    public func stopRequested(now: Date) throws(TockError) -> Job {
        guard status == .started else {
            throw .invalidTransition(id, status: status, action: "stop", allowed: "started (use cancel for waiting)")
        }
        var job = self
        job.stopRequested = true
        return job
    }

    /// An ended job (finished, failed, canceled, stopped) → `queued` again, as new.
    public func requeued(now: Date) throws(TockError) -> Job {
        guard status.isTerminal else {
            throw .invalidTransition(id, status: status, action: "requeue", allowed: "finished, failed, canceled or stopped")
        }
        var job = self
        job.status = .queued
        job.enqueuedAt = now
        job.startedAt = nil
        job.endedAt = nil
        job.worker = nil
        job.result = nil
        job.error = nil
        job.progress = nil
        job.expiresAt = nil
        job.scheduledFor = nil
        job.stopRequested = false
        return job
    }

    /// When a job that ended at `now` may be deleted: `seconds` later; never when negative
    /// (RQ's `-1`: kept until deleted).
    static func expiry(_ now: Date, keptFor seconds: Int) -> Date? {
        seconds < 0 ? nil : now.addingTimeInterval(Double(seconds))
    }
}
