import Foundation
import Logging
import ServiceLifecycle
import TockCore
import TockValues

extension Worker {
    /// A slot's record, as it sends it with each heartbeat.
    struct Slot: Sendable {
        var record: WorkerRecord
        /// When its last heartbeat was sent.
        var lastBeat = ContinuousClock.now
        /// The record changed since the last heartbeat (a skipped start/end beat).
        var dirty = false

        var name: String { record.name }
    }

    /// One slot: claims and runs jobs one at a time until shutdown, or in burst mode
    /// until its queues are empty.
    ///
    /// - Throws: ``WorkerError/Code/unresponsiveHandler``.
    func runSlot(_ record: WorkerRecord) async throws(WorkerError) {
        var slot = Slot(record: record)
        var failures = 0
        // A job claimed together with the previous one's end.
        var claimed: Job?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let claim: Claim
            do {
                if let job = claimed {
                    claim = Claim(job: job)
                    claimed = nil
                } else {
                    claim = try await nextJob(for: slot.name)
                }
                failures = 0
            } catch {
                if Task.isCancelled { break }
                failures += 1
                let pause = Duration.seconds(min(30, 1 << min(failures - 1, 5)))
                logger.error("could not take a job from \(queues): \(error); trying again in \(pause)")
                await sleep(for: pause)
                continue
            }
            if let job = claim.job {
                // Due scheduled jobs are promoted on the separate path, once a second.
                claimed = try await run(job, in: &slot, claimNext: !promotions.wouldBeDue(now: Date()))
            } else if burst {
                break
            } else {
                // Going idle: the record must say so now, not at the next periodic beat.
                if slot.dirty { await beat(&slot, running: []) } else { await beatIfDue(&slot) }
                await idle(until: claim.nextDue, slot: slot)
            }
        }
        // Shutting down with a job claimed along with the last one's end: it goes back.
        if let claimed { await putBack(claimed, slot: slot.name) }
    }

    /// Sleeps until something may have changed in the backend, the next scheduled job
    /// is due, the slot's next heartbeat is due, or a graceful shutdown begins.
    private func idle(until nextDue: Date?, slot: Slot) async {
        let heartbeat = Duration.seconds(configuration.heartbeatInterval)
        var wait = min(options.maximumIdleWait, heartbeat - slot.lastBeat.duration(to: .now))
        if let nextDue {
            // Clamped: a job scheduled for the year 292,000 (another client's score) waits the maximum.
            wait = min(wait, .milliseconds(CheckedInteger.clamped(nextDue.timeIntervalSinceNow * 1000, to: 0...Int(Int32.max))))
        }
        let timeout = max(wait, .milliseconds(10))
        await cancelWhenGracefulShutdown { [backend] in await backend.waitForChange(timeout: timeout) }
    }

    /// Sleeps for `duration`, less when the task is cancelled or shutting down.
    private func sleep(for duration: Duration) async {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
        } catch {
            // Cancelled: the caller's loop sees it and stops.
        }
    }

    /// Sends the slot's heartbeat when one is due.
    func beatIfDue(_ slot: inout Slot) async {
        guard slot.lastBeat.duration(to: .now) >= .seconds(configuration.heartbeatInterval) else { return }
        await beat(&slot, running: [])
    }

    /// Sends the slot's heartbeat at a job's start or end, unless one went out less than a
    /// second ago: a slot running a thousand short jobs a second would otherwise spend
    /// most of its writes on its own record. `tock workers` is at most a second behind
    /// then; jobs that run a second or more show every start and end.
    func beatIfStale(_ slot: inout Slot, running: [JobID]) async {
        guard slot.lastBeat.duration(to: .now) >= .seconds(1) else {
            slot.dirty = true
            return
        }
        await beat(&slot, running: running)
    }

    /// Sends the slot's heartbeat; returns the running jobs an operator asked to stop.
    @discardableResult
    func beat(_ slot: inout Slot, running: [JobID]) async -> Set<JobID> {
        slot.lastBeat = .now
        slot.dirty = false
        return await heartbeat(slot.record, running: running)
    }

    /// Sends `record` as a heartbeat now; returns the jobs an operator asked to stop.
    /// A failure is logged (a slot that keeps failing is declared dead by the others
    /// after the heartbeat timeout, and its job retried).
    func heartbeat(_ record: WorkerRecord, running: [JobID]) async -> Set<JobID> {
        var record = record
        record.lastHeartbeat = Date()
        do {
            return try await backend.heartbeat(record, runningJobs: running, now: record.lastHeartbeat)
        } catch {
            if !Task.isCancelled { logger.warning("heartbeat of worker \(record.name) failed: \(error)") }
            return []
        }
    }
}
