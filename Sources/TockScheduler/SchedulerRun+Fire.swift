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
        while let first = heap.min, first.due <= now {
            let entry = heap.removeMin()
            do {
                let (eventRecords, handled) = try await plan(plan.events[entry.index], from: entry.instant, now: now)
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

    /// The fires for the due instants of `event` from `first` on, one record for each —
    /// a job or a logged skip — so that no due instant disappears unaccounted. Returns
    /// them and the last instant handled.
    ///
    /// - Late instants (within the grace) are fires like any other: each is enqueued,
    ///   unless `overlap: skip` finds the job of a previous pass still pending.
    /// - Missed instants (older than the grace) follow `catch_up`: `none` skips them;
    ///   `latest` skips all but the latest instant due, which fires (and obeys `overlap`);
    ///   `all` enqueues every one up to the cap — the backlog of a downtime, whatever
    ///   `overlap` says — and the late ones after them.
    mutating func plan(_ event: ScheduledEvent, from first: Date, now: Date) async throws -> ([FireRecord], Date?) {
        let jitter = Double(event.jitterOffset)
        let dueUntil = now.addingTimeInterval(-jitter)
        guard let latest = event.schedule.previous(before: dueUntil.addingTimeInterval(0.000_001)), latest >= first else {
            return ([], nil)
        }
        let lateFrom = now.addingTimeInterval(-options.latenessGrace - jitter)
        let lastMissed = first < lateFrom ? event.schedule.previous(before: lateFrom).flatMap { $0 >= first ? $0 : nil } : nil
        var late: [Date] = []
        var cursor = max(first, lateFrom).addingTimeInterval(-0.000_001)
        while let next = event.schedule.next(after: cursor), next <= latest {
            late.append(next)
            cursor = next
        }

        if !(states[event.name]?.enabledOverride ?? event.enabled) {
            return ([skip(event, from: first, through: latest, .disabled)], latest)
        }
        if paused {
            return ([skip(event, from: first, through: latest, .paused)], latest)
        }
        guard let lastMissed else {
            return (try await fires(event, late, overlapApplies: true), latest)
        }
        switch event.catchUp {
        case .none:
            return ([skip(event, from: first, through: lastMissed, .missed)] + (try await fires(event, late, overlapApplies: true)), latest)
        case .all:
            var missed: [Date] = [lastMissed]
            while missed.count < options.catchUpCap, let earlier = event.schedule.previous(before: missed[missed.count - 1]), earlier >= first {
                missed.append(earlier)
            }
            var records: [FireRecord] = []
            if let earliest = missed.last, earliest > first, let older = event.schedule.previous(before: earliest) {
                records.append(skip(event, from: first, through: older, .catchUpCap))
            }
            return (records + (try await fires(event, missed.reversed() + late, overlapApplies: false)), latest)
        default:
            var records: [FireRecord] = []
            if let older = event.schedule.previous(before: latest), older >= first {
                records.append(skip(event, from: first, through: older, .missed))
            }
            return (records + (try await fires(event, [latest], overlapApplies: true)), latest)
        }
    }

    /// A job for each instant — or, when `overlapApplies` and the event's `overlap: skip`
    /// finds its previous job still pending, a logged skip for each.
    mutating func fires(_ event: ScheduledEvent, _ instants: [Date], overlapApplies: Bool) async throws -> [FireRecord] {
        guard !instants.isEmpty else { return [] }
        if overlapApplies, event.overlap == .skip, let last = states[event.name]?.lastJob,
            let previous = try await backend.job(last), isPending(previous)
        {
            return instants.map { instant in
                let record = FireRecord(event: event.name, instant: instant, skip: FireSkip(.overlap))
                log(record, detail: "its previous job \(previous.id) is still \(previous.status) (overlap: skip)")
                return record
            }
        }
        return instants.map { instant in
            do {
                let job = try makeJob(event, id: FireJobID.make(event: event.name, instant: instant), origin: "scheduler:\(event.name)@\(Self.iso(instant))")
                return FireRecord(event: event.name, instant: instant, job: job)
            } catch {
                // Refused at enqueue (a limit, an unknown queue after a reload): this
                // fire is skipped, loudly; it must not hold back the other events' fires.
                let record = FireRecord(event: event.name, instant: instant, skip: FireSkip(.refused))
                log(record, detail: "its job was refused: \(error)")
                return record
            }
        }
    }

    /// One record for the instants of `event` from `first` through `last`, skipped for
    /// `reason`, logged.
    func skip(_ event: ScheduledEvent, from first: Date, through last: Date, _ reason: FireSkip.Reason) -> FireRecord {
        let count = Self.count(event, from: first, through: last)
        let record = FireRecord(event: event.name, instant: last, skip: FireSkip(reason, count: count))
        let range = count == 1 ? "" : " (\(count == Self.countLimit ? "at least " : "")\(count) instants from \(Self.iso(first)))"
        let detail: String
        switch reason {
        case .missed: detail = "missed while no scheduler ran (catch_up: \(event.catchUp))"
        case .catchUpCap: detail = "missed, older than the catch_up: all cap of \(options.catchUpCap)"
        case .paused: detail = "the scheduler is paused"
        case .disabled: detail = "the event is disabled"
        case .overlap, .queueFull, .refused: detail = reason.rawValue
        }
        log(record, detail: detail + range)
        return record
    }

    /// Logs a skipped fire with the event, instant and reason as fields (journald:
    /// `TOCK_EVENT`, `TOCK_INSTANT`, `TOCK_REASON`). A disabled event's instants are
    /// logged at debug level: the operator chose them.
    func log(_ record: FireRecord, detail: String) {
        guard let skip = record.skip else { return }
        logger.log(
            level: skip.reason == .disabled ? .debug : skip.reason == .refused ? .error : .notice,
            "skipped \(record.event) at \(Self.iso(record.instant)): \(detail)",
            metadata: [
                "event": "\(record.event)", "instant": "\(Self.iso(record.instant))", "reason": "\(skip.reason.rawValue)",
                "skipped": "\(skip.count)",
            ])
    }

    /// How many instants counting stops at (a per-second event down for a year).
    static let countLimit = 1_000_000

    /// The instants of `event` from `first` through `last`, at most ``countLimit``.
    static func count(_ event: ScheduledEvent, from first: Date, through last: Date) -> Int {
        var count = 0
        var cursor = first.addingTimeInterval(-0.000_001)
        while count < countLimit, let next = event.schedule.next(after: cursor), next <= last {
            count += 1
            cursor = next
        }
        return max(1, count)
    }

    /// Queued or started by a worker that still heartbeats. A job whose worker died does
    /// not block its event.
    func isPending(_ job: Job) -> Bool {
        switch job.status {
        case .queued: return true
        case .started:
            let heartbeat = job.lastHeartbeat ?? job.startedAt ?? .distantPast
            return clock.now().timeIntervalSince(heartbeat) < Double(client.configuration.heartbeatTimeout)
        default: return false
        }
    }

    /// The job a fire enqueues: the event's queue, timeout and args (an array as `args`,
    /// an object as `kwargs`, anything else as the one argument), the job declaration's
    /// timeout and retries.
    func makeJob(_ event: ScheduledEvent, id: JobID, origin: String) throws -> Job {
        try client.makeJob(EnqueueRequest(event, declarations: plan.jobs, id: id.rawValue, origin: origin), now: clock.now())
    }

    /// Writes the fires (and their jobs) under the lease's token in one write. A full
    /// queue fails that write; then each fire is written alone, and those whose queue is
    /// full are skipped, loudly (backpressure), not retried forever.
    mutating func commit(_ records: [FireRecord]) async throws {
        guard let lease, !records.isEmpty else { return }
        let maxQueued = client.configuration.maxQueued
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
                    let skipped = FireRecord(event: record.event, instant: record.instant, skip: FireSkip(.queueFull))
                    logger.error(
                        "skipped \(record.event) at \(Self.iso(record.instant)): queue '\(queue)' is full (max_queued \(max))",
                        metadata: ["event": "\(record.event)", "instant": "\(Self.iso(record.instant))", "reason": "queue_full", "skipped": "1"])
                    outcomes.append(try await backend.recordFire(skipped, token: lease.token, maxQueued: maxQueued))
                    written.append(skipped)
                }
            }
        }
        let committed = clock.now()
        for (record, outcome) in zip(written, outcomes) {
            states[record.event, default: EventState(name: record.event)].record(record)
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
