import Foundation
import HeapModule
import TockCore
import TockSchedule
import TockValues

/// Firing: which instants of a due event are enqueued, skipped or caught up. Everything
/// due in one pass is written in one `recordFires` call.
extension SchedulerRun {
    /// Fires every entry that is due at `now`, then puts each event's next instant back.
    mutating func fireDue(now: Date) async {
        var records: [FireRecord] = []
        var fired: [(entry: Entry, handled: Date?)] = []
        var queuedInPass: Set<String> = []
        while let first = heap.min, first.due <= now {
            let entry = heap.removeMin()
            do {
                let (eventRecords, handled) = try await plan(plan.events[entry.index], from: entry.instant, now: now, queuedInPass: &queuedInPass)
                records += eventRecords
                fired.append((entry, handled))
            } catch {
                retryLater(entry, error: error, now: now)
            }
        }
        guard !fired.isEmpty else { return }
        do {
            try await commit(records)
        } catch TockError.fenced(let token, let current) {
            logger.warning("lost the lead: fires under token \(token) refused (current \(current.map(String.init) ?? "none")); standing by")
            lease = nil
            heap = Heap()
            return
        } catch {
            for (entry, _) in fired { retryLater(entry, error: error, now: now) }
            return
        }
        for (entry, handled) in fired {
            let event = plan.events[entry.index]
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

    /// The fires for the due instants of `event` from `first` on: late ones are enqueued,
    /// missed ones follow `catch_up`. Returns them and the last instant handled.
    mutating func plan(
        _ event: ScheduledEvent, from first: Date, now: Date, queuedInPass: inout Set<String>
    ) async throws -> ([FireRecord], Date?) {
        let jitter = Double(event.jitterOffset)
        let dueUntil = now.addingTimeInterval(-jitter)
        guard let latest = event.schedule.previous(before: dueUntil.addingTimeInterval(0.000_001)), latest >= first else {
            return ([], nil)
        }
        let lateFrom = now.addingTimeInterval(-options.latenessGrace - jitter)
        var records: [FireRecord] = []
        var instants: [Date] = []
        // Missed while nothing ran: as catch_up says.
        if first < lateFrom, let lastMissed = event.schedule.previous(before: lateFrom), lastMissed >= first {
            switch event.catchUp {
            case .none:
                logger.notice("skipped missed fires of \(event.name) up to \(lastMissed) (catch_up: none)")
                records.append(FireRecord(event: event.name, instant: lastMissed, job: nil))
            case .all:
                var missed: [Date] = [lastMissed]
                while missed.count < options.catchUpCap, let earlier = event.schedule.previous(before: missed[missed.count - 1]), earlier >= first {
                    missed.append(earlier)
                }
                if let earliest = missed.last, earliest > first, missed.count == options.catchUpCap {
                    logger.notice("catch_up: all for \(event.name) is capped at \(options.catchUpCap) fires; older ones skipped")
                }
                instants += missed.reversed()
            default:
                // latest: one job after downtime, for the latest instant due by now.
                records.append(try await decide(event, instant: latest, queuedInPass: &queuedInPass))
                return (records, latest)
            }
        }
        // Late (within the grace): every one.
        var cursor = max(first, lateFrom).addingTimeInterval(-0.000_001)
        while let next = event.schedule.next(after: cursor), next <= latest {
            instants.append(next)
            cursor = next
        }
        for instant in instants {
            records.append(try await decide(event, instant: instant, queuedInPass: &queuedInPass))
        }
        return (records, latest)
    }

    /// One fire: skipped while disabled, paused or overlapping; else its job.
    mutating func decide(_ event: ScheduledEvent, instant: Date, queuedInPass: inout Set<String>) async throws -> FireRecord {
        let skip = FireRecord(event: event.name, instant: instant, job: nil)
        let state = states[event.name]
        if !(state?.enabledOverride ?? event.enabled) { return skip }
        if paused {
            logger.info("paused: skipped \(event.name) at \(instant)")
            return skip
        }
        if event.overlap == .skip {
            if queuedInPass.contains(event.name) { return skip }
            if let last = state?.lastJob, let previous = try await backend.job(last), isPending(previous) {
                logger.notice("skipped \(event.name) at \(instant): its previous job \(previous.id) is still \(previous.status) (overlap: skip)")
                return skip
            }
        }
        queuedInPass.insert(event.name)
        let job: Job
        do {
            job = try makeJob(event, id: FireJobID.make(event: event.name, instant: instant), origin: "scheduler:\(event.name)@\(Self.iso(instant))")
        } catch let error as TockError {
            // Refused at enqueue (a limit, an unknown queue): this fire is skipped, loudly;
            // it must not hold back the other events' fires.
            logger.error("skipped \(event.name) at \(instant): \(error)")
            return skip
        }
        return FireRecord(event: event.name, instant: instant, job: job)
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
        let (args, kwargs) = event.jobArguments
        let declaration = plan.jobs[event.job]
        return try scheduler.client.makeJob(
            EnqueueRequest(
                name: event.job, queue: event.queue, args: args, kwargs: kwargs, id: id.rawValue,
                timeout: event.timeout ?? declaration?.timeout, retry: declaration?.retry, origin: origin),
            now: clock.now())
    }

    /// Writes the fires (and their jobs) under the lease's token in one write. A full
    /// queue fails that write; then each fire is written alone, and those whose queue is
    /// full are skipped, loudly (backpressure), not retried forever.
    mutating func commit(_ records: [FireRecord]) async throws {
        guard let lease, !records.isEmpty else { return }
        let maxQueued = scheduler.client.configuration.maxQueued
        var outcomes: [EnqueueOutcome?]
        var written = records
        do {
            outcomes = try await backend.recordFires(records, token: lease.token, maxQueued: maxQueued)
        } catch TockError.queueFull {
            outcomes = []
            written = []
            for record in records {
                do {
                    outcomes.append(try await backend.recordFire(record, token: lease.token, maxQueued: maxQueued))
                    written.append(record)
                } catch TockError.queueFull(let queue, let max) {
                    logger.error("skipped \(record.event) at \(record.instant): queue '\(queue)' is full (max_queued \(max))")
                    var skipped = record
                    skipped.job = nil
                    outcomes.append(try await backend.recordFire(skipped, token: lease.token, maxQueued: maxQueued))
                    written.append(skipped)
                }
            }
        }
        let committed = clock.now()
        for (record, outcome) in zip(written, outcomes) {
            var state = states[record.event] ?? EventState(name: record.event)
            if state.lastFire.map({ record.instant > $0 }) ?? true { state.lastFire = record.instant }
            if let job = record.job { state.lastJob = job.id }
            if let bootID = record.bootID { state.bootID = bootID }
            states[record.event] = state
            guard let outcome else { continue }
            scheduler.observer.schedulerEnqueued(outcome.job, for: record.event, instant: record.instant, committedAt: committed)
            logger.info(
                "enqueued \(outcome.job.name) for \(record.event) at \(record.instant)\(outcome.created ? "" : " (already enqueued)")",
                metadata: ["event": "\(record.event)", "job-id": "\(outcome.job.id)", "queue": "\(outcome.job.queue)"])
        }
    }

    /// `@reboot` events fire once per machine boot: when the boot id differs from the one
    /// they last fired in.
    mutating func fireRebootEvents(now: Date) async {
        guard let bootID = options.bootID else { return }
        var records: [FireRecord] = []
        for event in plan.events where event.isReboot && (states[event.name]?.enabledOverride ?? event.enabled) {
            guard states[event.name]?.bootID != bootID else { continue }
            do {
                let job = try makeJob(event, id: FireJobID.make(event: event.name, boot: bootID), origin: "scheduler:\(event.name)@reboot")
                records.append(FireRecord(event: event.name, instant: now, job: job, bootID: bootID))
            } catch {
                logger.error("could not fire @reboot event \(event.name): \(error)")
            }
        }
        do {
            try await commit(records)
        } catch {
            logger.error("could not fire @reboot events: \(error)")
        }
    }

    static func iso(_ date: Date) -> String {
        JobJSON.timestamp(date).replacingOccurrences(of: ".000000Z", with: "Z")
    }
}
