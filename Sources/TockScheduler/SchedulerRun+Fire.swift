import Foundation
import HeapModule
import TockCore
import TockSchedule
import TockValues

/// Firing: which instants of a due event are enqueued, skipped or caught up.
extension SchedulerRun {
    /// Fires every entry that is due at `now`, then puts each event's next instant back.
    mutating func fireDue(now: Date) async {
        while let first = heap.min, first.due <= now, lease != nil {
            let entry = heap.removeMin()
            let event = plan.events[entry.index]
            let handled: Date?
            do {
                handled = try await fire(event, from: entry.instant, now: now)
            } catch let error as TockError {
                if case .fenced = error {
                    logger.warning("\(error)")
                    lease = nil
                    heap = Heap()
                    return
                }
                retryLater(entry, error: error, now: now)
                continue
            } catch {
                retryLater(entry, error: error, now: now)
                continue
            }
            if let next = event.schedule.next(after: handled ?? entry.instant) {
                heap.insert(Entry(due: next.addingTimeInterval(Double(event.jitterOffset)), instant: next, index: entry.index))
            }
        }
    }

    /// A fire that could not be recorded is tried again a second later (its job id is
    /// the same, so a retry after a lost answer cannot make a second job).
    mutating func retryLater(_ entry: Entry, error: any Error, now: Date) {
        logger.error("could not record the fire of \(plan.events[entry.index].name) at \(entry.instant): \(error); retrying")
        var retry = entry
        retry.due = now.addingTimeInterval(1)
        heap.insert(retry)
    }

    /// Handles the due instants of `event` from `first` on: late ones are enqueued, missed
    /// ones follow `catch_up`. Returns the last instant handled.
    mutating func fire(_ event: ScheduledEvent, from first: Date, now: Date) async throws -> Date? {
        let jitter = Double(event.jitterOffset)
        let dueUntil = now.addingTimeInterval(-jitter)
        guard let latest = event.schedule.previous(before: dueUntil.addingTimeInterval(0.000_001)), latest >= first else {
            return nil
        }
        let lateFrom = now.addingTimeInterval(-options.latenessGrace - jitter)
        var instants: [Date] = []
        // Missed while nothing ran: as catch_up says.
        if first < lateFrom, let lastMissed = event.schedule.previous(before: lateFrom) , lastMissed >= first {
            switch event.catchUp {
            case .none:
                logger.notice("skipped missed fires of \(event.name) up to \(lastMissed) (catch_up: none)")
                try await record(event, instant: lastMissed, job: nil)
            case .all:
                var missed: [Date] = [lastMissed]
                while missed.count < options.catchUpCap, let earlier = event.schedule.previous(before: missed[missed.count - 1]), earlier >= first {
                    missed.append(earlier)
                }
                if let earliest = missed.last, earliest > first {
                    logger.notice("catch_up: all for \(event.name) is capped at \(options.catchUpCap) fires; older ones skipped")
                }
                instants += missed.reversed()
            default:
                instants.append(lastMissed)
            }
        }
        // Late (within the grace): every one.
        var cursor = max(first, lateFrom).addingTimeInterval(-0.000_001)
        while let next = event.schedule.next(after: cursor), next <= latest {
            instants.append(next)
            cursor = next
        }
        for instant in instants {
            try await fireOnce(event, instant: instant)
        }
        return latest
    }

    /// One fire: skipped while disabled, paused or overlapping; else enqueued.
    mutating func fireOnce(_ event: ScheduledEvent, instant: Date) async throws {
        let state = states[event.name]
        if !(state?.enabledOverride ?? event.enabled) {
            return try await record(event, instant: instant, job: nil)
        }
        if paused {
            logger.info("paused: skipped \(event.name) at \(instant)")
            return try await record(event, instant: instant, job: nil)
        }
        if event.overlap == .skip, let last = state?.lastJob, let previous = try await backend.job(last), isPending(previous) {
            logger.notice("skipped \(event.name) at \(instant): its previous job \(previous.id) is still \(previous.status) (overlap: skip)")
            return try await record(event, instant: instant, job: nil)
        }
        let job = try makeJob(event, id: FireJobID.make(event: event.name, instant: instant), origin: "scheduler:\(event.name)@\(Self.iso(instant))")
        do {
            try await record(event, instant: instant, job: job)
        } catch TockError.queueFull(let queue, let max) {
            // Backpressure: the fire is skipped, loudly, not retried forever.
            logger.error("skipped \(event.name) at \(instant): queue '\(queue)' is full (max_queued \(max))")
            try await record(event, instant: instant, job: nil)
        }
    }

    /// Queued or started by a worker that still heartbeats. A job whose worker died does
    /// not block its event.
    func isPending(_ job: Job) -> Bool {
        switch job.status {
        case .queued: return true
        case .started:
            let heartbeat = job.lastHeartbeat ?? job.startedAt ?? .distantPast
            return clock.now().timeIntervalSince(heartbeat) < Double(scheduler.client.configuration.heartbeatTimeout)
        default: return false
        }
    }

    /// The job a fire enqueues: the event's queue, timeout and args (an array as `args`,
    /// an object as `kwargs`, anything else as the one argument), the job declaration's
    /// timeout and retries.
    func makeJob(_ event: ScheduledEvent, id: JobID, origin: String) throws -> Job {
        var args: [JSONValue] = []
        var kwargs: [String: JSONValue] = [:]
        switch event.args {
        case .array(let values)?: args = values
        case .object(let members)?: kwargs = members
        case .none, .null?: break
        case let value?: args = [value]
        }
        let declaration = plan.jobs[event.job]
        return try scheduler.client.makeJob(
            EnqueueRequest(
                name: event.job, queue: event.queue, args: args, kwargs: kwargs, id: id.rawValue,
                timeout: event.timeout ?? declaration?.timeout, retry: declaration?.retry, origin: origin),
            now: clock.now())
    }

    /// Writes the fire (and its job, if any) under the lease's token.
    mutating func record(_ event: ScheduledEvent, instant: Date, job: Job?, bootID: String? = nil) async throws {
        guard let lease else { return }
        let outcome = try await backend.recordFire(
            FireRecord(event: event.name, instant: instant, job: job, bootID: bootID), token: lease.token,
            maxQueued: scheduler.client.configuration.maxQueued)
        var state = states[event.name] ?? EventState(name: event.name)
        if state.lastFire.map({ instant > $0 }) ?? true { state.lastFire = instant }
        if let job { state.lastJob = job.id }
        if let bootID { state.bootID = bootID }
        states[event.name] = state
        if let outcome {
            logger.info(
                "enqueued \(outcome.job.name) for \(event.name) at \(instant)\(outcome.created ? "" : " (already enqueued)")",
                metadata: ["event": "\(event.name)", "job-id": "\(outcome.job.id)", "queue": "\(outcome.job.queue)"])
        }
    }

    /// `@reboot` events fire once per machine boot: when the boot id differs from the one
    /// they last fired in.
    mutating func fireRebootEvents(now: Date) async {
        guard let bootID = options.bootID else { return }
        for event in plan.events where event.isReboot && (states[event.name]?.enabledOverride ?? event.enabled) {
            guard states[event.name]?.bootID != bootID else { continue }
            do {
                let job = try makeJob(event, id: FireJobID.make(event: event.name, boot: bootID), origin: "scheduler:\(event.name)@reboot")
                try await record(event, instant: now, job: job, bootID: bootID)
            } catch {
                logger.error("could not fire @reboot event \(event.name): \(error)")
            }
        }
    }

    static func iso(_ date: Date) -> String {
        JobJSON.timestamp(date).replacingOccurrences(of: ".000000Z", with: "Z")
    }
}
