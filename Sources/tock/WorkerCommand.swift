import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import TockBackends
import TockCore
import TockSchedule
import TockValues
import TockWorker

/// `tock worker`: take jobs from queues and run them.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs from queues: commands declared under jobs: in schedule files, and built-in handlers.",
        discussion: """
            Queues are taken in the order given (priority). SIGTERM is a warm shutdown: no new \
            job is taken, running ones finish, then the worker exits 0. A second SIGTERM, or \
            SIGINT (Ctrl-C), is a cold shutdown: running jobs are stopped and put back on their \
            queues. SIGHUP is logged and otherwise ignored. Built-in handlers: tock.noop (does nothing), tock.sleep (args: [seconds]), \
            tock.fail (args: [message]).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Queues in priority order, comma-separated.", valueName: "a,b"))
    var queue: String?

    @Option(name: .long, help: "A worker pool from the configuration (its queues and concurrency).")
    var pool: String?

    /// Slots a worker may have: each is a task, a registration and a heartbeat.
    static let concurrencyRange = 1...1024

    @Option(name: .long, help: "Jobs run at once, 1…1024 (each slot is listed as a worker).")
    var concurrency: Int?

    @Option(name: .long, help: "Worker name (default: host.pid); slots are NAME.1 … NAME.N.")
    var name: String?

    @Flag(name: .long, help: "Exit when the queues are empty.")
    var burst = false

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Schedule files or directories whose jobs: this worker runs (default: the configuration's).", valueName: "PATH"))
    var schedules: [String] = []

    func validate() throws {
        if queue != nil, pool != nil { throw ValidationError("give --queue or --pool, not both") }
        if let concurrency, !Self.concurrencyRange.contains(concurrency) {
            throw ValidationError("--concurrency must be between \(Self.concurrencyRange.lowerBound) and \(Self.concurrencyRange.upperBound) (jobs run at once), not \(concurrency)")
        }
    }

    func run() async throws {
        let configuration = try global.configuration()
        let (queues, slots) = try assignment(configuration)
        let logger = Logger(label: "tock.worker")
        let commands = try loadCommands(configuration)
        let backend = try BackendOpener.open(configuration)
        let worker = Worker(
            backend: backend, configuration: configuration, queues: queues, concurrency: slots, name: name,
            registry: BuiltInHandlers.registry, commands: commands, burst: burst, logger: logger,
            options: .configured(configuration))
        let group = ServiceGroup(
            configuration: .init(
                // Graceful shutdown runs in reverse order: the signal service hears a second
                // SIGTERM for as long as the worker is still finishing its jobs.
                services: [
                    .init(service: HangupNotice(
                        logger: logger,
                        message: "SIGHUP: a worker has nothing to reload and keeps running; restart it (SIGTERM, then start) to take new or changed jobs: declarations")),
                    .init(service: SecondSignalService(), failureTerminationBehavior: .cancelGroup),
                    .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .cancelGroup),
                ],
                gracefulShutdownSignals: [.sigterm], cancellationSignals: [.sigint], logger: logger))
        do {
            try await group.run()
        } catch is SecondSignalService.ColdShutdown {
            logger.notice("cold shutdown: running jobs were put back on their queues")
        }
    }

    /// `--queue`'s queues, or `--pool`'s — by default the `default` pool's, which always
    /// exists.
    private func assignment(_ configuration: Configuration) throws -> ([String], Int) {
        if let queue {
            let queues = queue.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
            for name in queues { _ = try configuration.queue(name) }
            return (queues, concurrency ?? 1)
        }
        let name = pool ?? "default"
        guard let found = configuration.pools.first(where: { $0.name == name }) else {
            throw ValidationError("unknown pool '\(name)'; configured pools: \(configuration.pools.map(\.name).joined(separator: ", "))")
        }
        return (found.queues, concurrency ?? found.concurrency)
    }

    /// The `jobs:` of the schedule files (their events are not read: a typo in an event
    /// is the scheduler's to refuse); an error in a `jobs:` declaration stops the worker.
    private func loadCommands(_ configuration: Configuration) throws -> [String: JobDeclaration] {
        let paths = ScheduleArguments.paths(schedules, configuration)
        // The default directory may simply not exist on a worker host.
        if schedules.isEmpty, paths == ["schedules/"], !FileManager.default.fileExists(atPath: "schedules") { return [:] }
        let result = ScheduleArguments.load(paths, zone: configuration.timeZone, configuration: configuration, jobsOnly: true)
        for problem in result.problems { FileHandle.standardError.write(Data("\(TerminalText.escaped(problem.description))\n".utf8)) }
        if result.hasErrors { throw ExitCode.configurationError }
        return result.schedules.declarations
    }
}

/// Turns a second SIGTERM (the first starts the warm shutdown) into a cold shutdown.
struct SecondSignalService: Service {
    struct ColdShutdown: Error {}

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var count = 0
            for await _ in await UnixSignalsSequence(trapping: .sigterm) {
                count += 1
                if count >= 2 { throw ColdShutdown() }
            }
        }
    }
}
