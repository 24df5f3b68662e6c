import Foundation
import HeapModule
import Logging
import ServiceLifecycle
import TockCore
import TockSchedule

/// One run of the scheduler loop and the state it keeps between passes.
struct SchedulerRun {
    /// A pending fire: the event at `index` in the plan is due at `due` (its schedule's
    /// `instant` plus its jitter).
    struct Entry: Comparable {
        var due: Date
        var instant: Date
        var index: Int

        static func < (a: Entry, b: Entry) -> Bool { (a.due, a.index) < (b.due, b.index) }
    }

    let scheduler: Scheduler
    var plan: SchedulePlan
    var heap = Heap<Entry>()
    var states: [String: EventState] = [:]
    var lease: SchedulerLease?
    var nextRenewal = Date.distantPast
    var paused = false
    var reportedReady = false
    var lastStatus = ""
    var backendFailures = 0

    var backend: any TockBackend { scheduler.backend }
    /// Makes jobs with the plan's configuration when a reload brought one.
    var client: JobClient {
        plan.configuration.map { JobClient(backend: scheduler.backend, configuration: $0) } ?? scheduler.client
    }
    var clock: any SchedulerClock { scheduler.clock }
    var options: Scheduler.Options { scheduler.options }
    var logger: Logger { scheduler.logger }

    init(scheduler: Scheduler, plan: SchedulePlan) {
        self.scheduler = scheduler
        self.plan = plan
    }

    mutating func loop() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let newPlan = scheduler.pendingPlan.take() {
                plan = newPlan
                logger.info("schedule reloaded: \(plan.events.count) events")
                if lease != nil { rebuildHeap(now: clock.now()) }
            }
            let now = clock.now()
            if now >= nextRenewal || lease == nil {
                do {
                    try await renewLeadership(now: now)
                    backendFailures = 0
                } catch {
                    await backendDown(error)
                    continue
                }
            }
            if !reportedReady {
                reportedReady = true
                scheduler.observer.schedulerIsReady(status: status(now: now))
            }
            if lease != nil {
                await fireDue(now: clock.now())
            }
            scheduler.observer.schedulerLoopIsAlive()
            report(now: clock.now())
            await sleepUntilNextWork()
        }
        if let lease {
            try? await backend.releaseLease(holder: lease.holder)
            logger.info("released the leader lease")
        }
    }

    /// Takes or renews the lease; on becoming leader, loads the events' state and fires
    /// what was missed per `catch_up`, and `@reboot` events not yet fired in this boot.
    ///
    /// Leadership counts as kept only when the lease comes back with the same token
    /// before it expired. A scheduler that stalled past its lease (SIGSTOP, a paused VM)
    /// gets a new token even when nobody else took over meanwhile — and someone may have
    /// led and fired in between — so it reloads every event's state from the backend and
    /// rebuilds its heap before it fires, instead of firing from what it remembered.
    mutating func renewLeadership(now: Date) async throws {
        let previous = lease
        lease = try await backend.acquireLease(holder: options.holder, duration: options.leaseDuration, now: now)
        nextRenewal = now.addingTimeInterval(lease == nil ? 1 : options.leaseDuration / 3)
        guard let lease else {
            if previous != nil { logger.warning("lost the leader lease; standing by") }
            heap = Heap()
            return
        }
        paused = try await backend.isPaused()
        if let previous, previous.token == lease.token, previous.expiresAt > now {
            // The leader's own writes keep `states` current; only `tock events
            // disable|enable` changes them from outside.
            try await refreshOverrides()
        } else {
            states = try await backend.eventStates()
            if previous != nil { logger.warning("the lease lapsed and was taken again (token \(lease.token)); state reloaded from the backend") }
            logger.notice("leader now (lease token \(lease.token))")
            rebuildHeap(now: now, keeping: heap)
            await fireRebootEvents(now: now)
        }
    }

    /// Takes in the operators' current `enabled` overrides.
    mutating func refreshOverrides() async throws {
        let overrides = try await backend.eventOverrides()
        for name in Set(overrides.keys).union(states.filter { $0.value.enabledOverride != nil }.keys) {
            var state = states[name] ?? EventState(name: name)
            state.enabledOverride = overrides[name]
            states[name] = state
        }
    }

    /// One entry per calendar event: the first instant after its last handled one (which
    /// may be due already: then the fire step applies `catch_up`), or after now for an
    /// event that never fired — unless `previous` (the heap before a lapse of the lease)
    /// still waits for an instant of it, which stays.
    mutating func rebuildHeap(now: Date, keeping previous: Heap<Entry> = Heap()) {
        var pending: [String: Date] = [:]
        for entry in previous.unordered where entry.index < plan.events.count {
            pending[plan.events[entry.index].name] = entry.instant.addingTimeInterval(-0.000_001)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(plan.events.count)
        for (index, event) in plan.events.enumerated() where !event.isReboot {
            let after = states[event.name]?.lastFire ?? pending[event.name] ?? now
            if let instant = event.schedule.next(after: after) {
                entries.append(Entry(due: instant.addingTimeInterval(Double(event.jitterOffset)), instant: instant, index: index))
            }
        }
        heap = Heap(entries)
    }

    /// Sleeps until the next fire, the next lease renewal, or a second from now —
    /// whichever is first — so the loop notices reloads, pauses and clock steps.
    mutating func sleepUntilNextWork() async {
        let now = clock.now()
        var wake = min(nextRenewal, now.addingTimeInterval(1))
        if let first = heap.min, lease != nil { wake = min(wake, first.due) }
        let deadline = wake
        do {
            try await cancelWhenGracefulShutdown { [clock] in try await clock.sleep(until: deadline) }
        } catch {
            // Cancelled or shutting down: the loop condition ends the run.
        }
    }

    mutating func backendDown(_ error: any Error) async {
        backendFailures += 1
        let pause = min(30.0, pow(2, Double(min(backendFailures - 1, 5))))
        let line = "backend unreachable: \(error); retrying in \(Int(pause)) s"
        logger.error("\(line)")
        scheduler.observer.schedulerStatus(line)
        lastStatus = line
        scheduler.observer.schedulerLoopIsAlive()
        lease = lease.map { $0.expiresAt > clock.now() ? $0 : nil } ?? nil
        do {
            try await cancelWhenGracefulShutdown { [clock] in try await clock.sleep(until: clock.now().addingTimeInterval(pause)) }
        } catch {}
    }

    func status(now: Date) -> String {
        guard let lease else { return "standby: another scheduler holds the lease; \(plan.events.count) events" }
        var text = "leader (token \(lease.token)); \(plan.events.count) events"
        if paused { text += "; paused" }
        if let first = heap.min {
            let event = plan.events[first.index]
            text += "; next \(event.name) at \(event.timeZone.localTime(at: Int(first.due.timeIntervalSince1970)))"
        }
        return text + "; backend ok"
    }

    mutating func report(now: Date) {
        let line = status(now: now)
        guard line != lastStatus else { return }
        lastStatus = line
        scheduler.observer.schedulerStatus(line)
    }
}
