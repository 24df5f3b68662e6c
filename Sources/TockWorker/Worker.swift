import Foundation
import Logging
import ServiceLifecycle
import TockCore
import TockValues

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A worker: takes jobs from its queues, in their order of priority, and runs them with
/// the Swift handlers and commands it was set up with, `concurrency` at a time.
///
/// Each of its slots registers as a worker of its own (`NAME.1`, `NAME.2`, …), sends
/// heartbeats every ``TockCore/Configuration/heartbeatInterval`` seconds and stops a job an
/// operator asked to stop. An idle slot sleeps in
/// ``TockCore/JobQueueBackend/waitForChange(timeout:)`` until a job may be there. The
/// worker also queues scheduled jobs that are due, recovers jobs of workers that stopped
/// heartbeating and purges expired records.
///
/// A job's name is resolved only against the ``HandlerRegistry`` and the commands given
/// here (a Swift handler wins over a command of the same name); a name nobody registered
/// fails the job at once with `no handler for job 'NAME' on worker SLOT`.
///
/// Run it in a `ServiceGroup`:
/// - graceful shutdown (SIGTERM) is a **warm shutdown**: no new job is taken, running
///   jobs finish (up to their timeout), the slots unregister and `run()` returns;
/// - cancellation (a second signal: make SIGINT, or an escalation, cancel the group) is a
///   **cold shutdown**: running jobs are stopped and put back on their queue;
/// - `run()` throws a ``WorkerError`` with code ``WorkerError/Code/unresponsiveHandler``
///   when a Swift handler ignored cancellation past the grace period: its job was
///   ended (failed, stopped or requeued, as the cancellation's cause says), the other
///   slots' running jobs are put back on their queues as in a cold shutdown, and the
///   process should exit non-zero so that its supervisor restarts it.
public struct Worker: Service {
    let backend: any TockBackend
    let configuration: Configuration
    let queues: [String]
    /// The slots' worker names, `NAME.1` … `NAME.N`.
    public let slotNames: [String]
    let registry: HandlerRegistry
    let commands: [String: JobDeclaration]
    let burst: Bool
    let logger: Logger
    let options: Options
    let commandRunner: CommandRunner
    let promotions = PromotionThrottle()

    /// A worker; nothing happens until ``run()``.
    ///
    /// - Parameters:
    ///   - backend: Where jobs and workers' records are.
    ///   - configuration: Heartbeat interval and timeout, result and failure TTLs, queues.
    ///   - queues: The queues to take jobs from, highest priority first.
    ///   - concurrency: How many jobs run at once, each in a slot of its own (at least 1).
    ///   - name: The worker's name; slots are named `NAME.1` … `NAME.N`. Default
    ///     `HOSTNAME.PID`.
    ///   - registry: The Swift handlers.
    ///   - commands: The command jobs, by name (the `jobs:` of schedule files).
    ///   - burst: Return from ``run()`` as soon as the queues are empty.
    ///   - logger: Where the worker logs.
    ///   - options: Grace period, output limit, idle wait; see ``Options``.
    public init(
        backend: any TockBackend, configuration: Configuration, queues: [String], concurrency: Int = 1,
        name: String? = nil, registry: HandlerRegistry = HandlerRegistry(), commands: [String: JobDeclaration] = [:],
        burst: Bool = false, logger: Logger, options: Options = Options()
    ) {
        self.backend = backend
        self.configuration = configuration
        self.queues = queues
        let base = name ?? "\(Self.hostname()).\(getpid())"
        slotNames = (1...max(1, concurrency)).map { "\(base).\($0)" }
        self.registry = registry
        self.commands = commands
        self.burst = burst
        self.logger = logger
        self.options = options
        commandRunner = CommandRunner(
            gracePeriod: options.gracePeriod, outputLimit: options.outputLimit, environment: options.environment)
    }

    /// Registers the slots, runs jobs until shutdown (or, in burst mode, until the queues
    /// are empty), unregisters the slots.
    ///
    /// - Throws: ``WorkerError`` (no queues, an unknown queue, an unresponsive handler);
    ///   the backend's error when the slots cannot be registered.
    public func run() async throws {
        try checkSetup()
        let records = try await register()
        logger.info(
            "worker started",
            metadata: [
                "slots": "\(slotNames.joined(separator: ", "))", "queues": "\(queues.joined(separator: ", "))",
                "handlers": "\(registry.names.count)", "commands": "\(commands.count)", "burst": "\(burst)",
            ])
        do {
            try await runSlots(records)
        } catch {
            await unregister()
            throw error
        }
        await unregister()
        logger.info("worker stopped", metadata: ["slots": "\(slotNames.joined(separator: ", "))"])
    }

    /// The slots and the maintenance loop; returns when every slot has stopped.
    private func runSlots(_ records: [WorkerRecord]) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await maintain()
                return false
            }
            for record in records {
                group.addTask {
                    try await runSlot(record)
                    return true
                }
            }
            var running = records.count
            while running > 0, let isSlot = try await group.next() {
                if isSlot { running -= 1 }
            }
            group.cancelAll()
        }
    }

    private func checkSetup() throws(WorkerError) {
        guard !queues.isEmpty else {
            throw WorkerError(.invalidSetup, worker: slotNames[0], details: "a worker needs at least one queue")
        }
        for queue in queues {
            do throws(TockError) {
                _ = try configuration.queue(queue)
            } catch {
                throw WorkerError(.invalidSetup, worker: slotNames[0], details: error.description)
            }
        }
        for name in registry.names where commands[name] != nil {
            logger.warning("job '\(name)' has both a Swift handler and a command; the Swift handler runs")
        }
    }

    /// Registers every slot; returns their records.
    private func register() async throws -> [WorkerRecord] {
        let now = Date()
        let records = slotNames.map { name in
            WorkerRecord(
                name: name, hostname: Self.hostname(), pid: getpid(), queues: queues, birth: now, lastHeartbeat: now)
        }
        for record in records {
            _ = try await backend.heartbeat(record, runningJobs: [], now: now)
        }
        return records
    }

    private func unregister() async {
        await uncancelled { [backend, slotNames, logger] in
            for name in slotNames {
                do {
                    try await backend.unregisterWorker(name)
                } catch {
                    logger.error("could not unregister worker \(name): \(error)")
                }
            }
        }
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
