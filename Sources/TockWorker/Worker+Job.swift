import Foundation
import Logging
import ServiceLifecycle
import TockCore

extension Worker {
    /// How running one job went.
    struct Execution: Sendable {
        var end: RunEnd
        /// A Swift handler ignored cancellation past the grace period.
        var unresponsive = false
        /// An operator asked to stop the job while it ran.
        var stopRequested = false
    }

    /// Runs `job` in `slot` and records how it ended.
    ///
    /// - Parameter claimNext: Also claim the slot's next job in the write that records
    ///   the end (when the worker is not shutting down).
    /// - Returns: The next job, claimed for this slot, if `claimNext` found one.
    /// - Throws: ``WorkerError/Code/unresponsiveHandler`` after recording the job's end,
    ///   when its Swift handler ignored cancellation.
    func run(_ job: Job, in slot: inout Slot, claimNext: Bool) async throws(WorkerError) -> Job? {
        var logger = logger
        logger[metadataKey: "job-id"] = "\(job.id)"
        logger[metadataKey: "job-name"] = "\(job.name)"
        logger[metadataKey: "worker"] = "\(slot.name)"
        logger.info("job started", metadata: ["queue": "\(job.queue)"])
        let started = ContinuousClock.now
        slot.record.state = .busy
        slot.record.currentJob = job.id
        await beatIfStale(&slot, running: [job.id])

        let execution = await execute(job, record: slot.record, logger: logger)
        let outcome = outcome(of: execution, job: job, logger: logger)
        let stillTaking = claimNext && !execution.unresponsive && !Task.isCancelled && !Task.isShuttingDownGracefully
        let (recorded, next) = await complete(
            job, worker: slot.name, outcome: outcome, claimNext: stillTaking ? queues : nil, logger: logger)

        let elapsed = started.duration(to: .now)
        slot.record.totalWorkingTime += elapsed.seconds
        slot.record.state = .idle
        slot.record.currentJob = nil
        // A refused late end (the job was declared abandoned and run again) is not counted:
        // the run that was recorded counts on its own worker.
        switch execution.end {
        case _ where !recorded: break
        case .finished: slot.record.successfulJobCount += 1
        case .failed, .timedOut: slot.record.failedJobCount += 1
        case .cancelled: if execution.stopRequested { slot.record.failedJobCount += 1 }
        }
        // With a next job claimed the slot stays busy: an idle beat now would show it idle
        // until a later heartbeat (on Redis the claim itself records it busy with that job).
        if !Task.isCancelled, next == nil { await beatIfStale(&slot, running: []) }
        if execution.unresponsive {
            if let next { await putBack(next, slot: slot.name) }
            throw WorkerError(
                .unresponsiveHandler, worker: slot.name, job: job.id,
                details: "the handler of '\(job.name)' ignored cancellation for the grace period "
                    + "(\(options.gracePeriod)); the worker exits so that it is restarted")
        }
        return next
    }

    /// Puts a job this slot claimed but will not run back on its queue.
    func putBack(_ job: Job, slot: String) async {
        _ = await complete(job, worker: slot, outcome: .interrupted, logger: logger)
    }

    /// Resolves the job's name and runs its work, sending heartbeats meanwhile and
    /// cancelling the work when an operator asks to stop it.
    private func execute(_ job: Job, record: WorkerRecord, logger: Logger) async -> Execution {
        let work: Work
        if let handler = registry.handler(for: job.name) {
            work = .handler(handler)
        } else if let definition = commands[job.name] {
            work = .command(definition.command, environment: definition.environment)
        } else {
            return Execution(
                end: .failed("no handler for job '\(job.name)' on worker \(record.name)", retryable: false))
        }
        return await withTaskGroup(of: Event.self) { group in
            group.addTask { .ran(await perform(work, job: job, worker: record.name, logger: logger)) }
            group.addTask { await watchForStop(job, record: record) }
            var stopRequested = false
            while let event = await group.next() {
                switch event {
                case .ran(var execution):
                    group.cancelAll()
                    execution.stopRequested = stopRequested
                    return execution
                case .stopRequested:
                    logger.info("stop requested by an operator")
                    stopRequested = true
                    group.cancelAll()
                case .watchEnded:
                    continue
                }
            }
            return Execution(end: .cancelled, stopRequested: stopRequested)  // The work always ends first.
        }
    }

    private enum Work {
        case handler(HandlerRegistry.Handler)
        case command([String], environment: [String: String])
    }

    private enum Event: Sendable {
        case ran(Execution)
        case stopRequested
        case watchEnded
    }

    private func perform(_ work: Work, job: Job, worker: String, logger: Logger) async -> Execution {
        switch work {
        case .handler(let handler):
            let context = JobContext(job: job, worker: worker, backend: backend, logger: logger)
            let run = await HandlerExecution(handler: handler, context: context, gracePeriod: options.gracePeriod).run()
            return Execution(end: run.end, unresponsive: run.unresponsive)
        case .command(let command, let environment):
            let result = await commandRunner.run(job, command: command, environment: environment) { [backend] progress in
                do {
                    try await backend.reportProgress(job.id, progress: progress, now: Date())
                } catch {
                    logger.warning("could not record progress: \(error)")
                }
            }
            if result.rejectedProgressLines > 0 {
                logger.warning(
                    "ignored \(result.rejectedProgressLines) progress line(s) not of the form 'PERCENT [MESSAGE]'")
            }
            return Execution(end: result.end)
        }
    }

    /// Heartbeats for the running job every heartbeat interval; returns when an operator
    /// asked to stop it, or (``Event/watchEnded``) when cancelled.
    private func watchForStop(_ job: Job, record: WorkerRecord) async -> Event {
        while true {
            do {
                try await Task.sleep(for: .seconds(configuration.heartbeatInterval))
            } catch {
                return .watchEnded
            }
            if await heartbeat(record, running: [job.id]).contains(job.id) { return .stopRequested }
        }
    }
}
