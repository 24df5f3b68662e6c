import Foundation
import Logging
import TockCore
import TockValues

/// How a run's end becomes the job's outcome, and how it is recorded: the one place where
/// the worker decides that a job finished, failed, timed out, was stopped or goes back
/// to its queue (the state changes themselves are ``TockCore/Job/completed(_:now:)``).
extension Worker {
    /// - `finished` → finished with the result (a result larger than
    ///   ``TockCore/Job/maximumResultBytes`` encoded is replaced by a note saying so);
    /// - `failed` → failed, retried if retries are left and retrying can help;
    /// - `timedOut` → failed with `timed out after N s`, retried if retries are left;
    /// - `cancelled` → `stopped` after an operator's stop request, else (cold shutdown)
    ///   back to its queue.
    func outcome(of execution: Execution, job: Job, logger: Logger) -> JobOutcome {
        let resultTTL = configuration.resultTTL
        let failureTTL = configuration.failureTTL
        switch execution.end {
        case .finished(let result):
            logger.info("job finished")
            return .finished(bounded(result, logger: logger), resultTTL: resultTTL)
        case .failed(let message, let retryable):
            logger.warning("job failed: \(message)")
            return retryable
                ? .failed(message, failureTTL: failureTTL) : .failedWithoutRetry(message, failureTTL: failureTTL)
        case .timedOut(let seconds):
            logger.warning("job timed out after \(seconds) s")
            return .failed("timed out after \(seconds) s", failureTTL: failureTTL)
        case .cancelled where execution.stopRequested:
            logger.info("job stopped by an operator")
            return .stopped(failureTTL: failureTTL)
        case .cancelled:
            logger.notice("job interrupted by a cold shutdown; back on its queue")
            return .interrupted
        }
    }

    /// Records `outcome`, even in a cancelled task. With `claimNext`, claims the slot's next
    /// job from those queues in the same write and returns it.
    ///
    /// The end is recorded only if the job is still this claim's run
    /// (``TockCore/Job/isRun(by:claimedAt:)``, with the claim's `startedAt` as token). A
    /// worker that stalled past `heartbeat_timeout` finds its job declared abandoned and
    /// perhaps run again: its late end is refused (`recorded` false) and logged as a
    /// warning naming the job and what became of it; the slot's counts leave it out.
    ///
    /// While the backend is unreachable it keeps trying, backing off to 5 s, for up to
    /// `heartbeat_timeout`: a job that ran is not run again because its end could not be
    /// written during a short outage. Past that, the job (no longer heartbeated) is
    /// recovered as abandoned by any worker.
    func complete(
        _ job: Job, worker: String, outcome: JobOutcome, claimNext queues: [String]? = nil, logger: Logger
    ) async -> (recorded: Bool, next: Job?) {
        let deadline = ContinuousClock.now + .seconds(configuration.heartbeatTimeout)
        let claimedAt = job.startedAt
        return await uncancelled { [backend] () async -> (recorded: Bool, next: Job?) in
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let completed: Job?
                    var next: Job?
                    if let queues {
                        (completed, next) = try await backend.complete(
                            job.id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: Date(), thenClaimFrom: queues)
                    } else {
                        completed = try await backend.complete(
                            job.id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: Date())
                    }
                    if completed == nil {
                        let now = (try? await backend.job(job.id)) ?? nil
                        logger.warning(
                            "late end of job \(job.id) (\(job.name)) refused, not recorded: \(Self.refusal(of: job, worker: worker, now: now))")
                    } else if let completed, completed.status == .finished, let event = completed.event {
                        // For "has not succeeded in N hours" alerts, kept past the job's own TTL. A
                        // separate write: losing it (backend gone this instant) only delays the figure.
                        do {
                            try await backend.recordEventSuccess(event, at: completed.endedAt ?? Date())
                        } catch {
                            logger.warning("could not record event \(event)'s success of job \(job.id): \(error)")
                        }
                    }
                    return (completed != nil, next)
                } catch {
                    let delay = Duration.milliseconds(min(5000, 250 << min(attempt, 5)))
                    guard ContinuousClock.now + delay < deadline else {
                        logger.error(
                            "gave up recording the job's end after \(attempt) attempts: \(error); it will be recovered as abandoned (its heartbeat stopped)")
                        return (false, nil)
                    }
                    if attempt == 1 || attempt % 5 == 0 {
                        logger.error("could not record the job's end (attempt \(attempt)), retrying until the heartbeat timeout: \(error)")
                    }
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }

    /// Why a run's end was refused: what the job is now, against the claim `claimed`.
    static func refusal(of claimed: Job, worker: String, now: Job?) -> String {
        guard let now else { return "the job no longer exists (deleted)" }
        let claim = "claimed by \(worker) at \(claimed.startedAt.map { JobJSON.timestamp($0) } ?? "?")"
        switch now.status {
        case .started where now.worker == worker:
            return "it was \(claim) but is now a later run, started at \(now.startedAt.map { JobJSON.timestamp($0) } ?? "?") by a worker of the same name (declared abandoned meanwhile)"
        case .started:
            return "it was \(claim) but is now run by \(now.worker ?? "?") (declared abandoned meanwhile: this worker stopped heartbeating it)"
        default:
            let error = now.error.map { ", error: \($0)" } ?? ""
            return "it was \(claim) but is now \(now.status.rawValue)\(error) (declared abandoned or stopped meanwhile)"
        }
    }

    /// `result` if its JSON fits in ``TockCore/Job/maximumResultBytes``; a string too
    /// long keeps its tail (a command's output is kept from its end); anything else too
    /// large, or not encodable (NaN), is replaced by a note saying why.
    private func bounded(_ result: JSONValue?, logger: Logger) -> JSONValue? {
        guard var result else { return nil }
        while true {
            let size: Int
            do {
                size = try JSONEncoder().encode(result).count
            } catch {
                logger.warning("the job's result cannot be encoded as JSON (\(error)); not kept")
                return .string("result not kept: \(error)")
            }
            guard size > Job.maximumResultBytes else { return result }
            guard case .string(let text) = result else {
                logger.warning("the job's result is \(size) bytes, more than \(Job.maximumResultBytes); not kept")
                return .string("result not kept: \(size) bytes, more than the \(Job.maximumResultBytes) kept")
            }
            // Escaping makes the encoding longer than the text; cut in proportion, a bit more.
            let keep = Int(Double(text.utf8.count) * Double(Job.maximumResultBytes) / Double(size) * 0.95)
            result = .string(String(decoding: text.utf8.suffix(keep), as: UTF8.self))
        }
    }
}
