import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TockBackends
import TockCore
import TockSchedule
import TockScheduler
import TockSystemd
import TockWorker

/// `tock dev`: the whole of Tock in the foreground, as `bench start` is for Frappe.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run the scheduler, one worker per configured pool and the HTTP API in the foreground; Ctrl-C stops all.",
        discussion: "Uses the configuration's backend (default sqlite:./tock.db) and schedules (default schedules/). Log lines start with their component. SIGHUP re-reads the schedule files for the scheduler (a file with errors keeps the previous schedule); the workers and the API keep what they started with."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Serve the HTTP API on this HOST:PORT (default 127.0.0.1:8080).", valueName: "ADDRESS"))
    var listen = "127.0.0.1:8080"

    @Flag(name: .long, help: "Do not serve the HTTP API.")
    var noAPI = false

    func run() async throws {
        let configuration = try global.configuration()
        let load: @Sendable (Bool) -> (plan: SchedulePlan?, problems: [ScheduleProblem]) = { _ in
            let result = ScheduleArguments.load([], zone: configuration.timeZone, configuration: configuration)
            return (result.hasErrors ? nil : SchedulePlan(result.schedules), result.problems)
        }
        let result = ScheduleArguments.load([], zone: configuration.timeZone, configuration: configuration)
        for problem in result.problems { FileHandle.standardError.write(Data("\(TerminalText.escaped(problem.description))\n".utf8)) }
        if result.hasErrors { throw ExitCode.configurationError }
        let backend = try BackendOpener.open(configuration)
        let scheduler = Scheduler(
            backend: backend, configuration: configuration, plan: SchedulePlan(result.schedules), logger: Logger(label: "scheduler"))
        // SIGHUP re-reads the schedule files for the scheduler (the workers keep the jobs: they started with).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ReloadOnHangup(notifier: SystemdNotifier(), logger: Logger(label: "scheduler"), load: load, apply: scheduler.reload)),
            .init(service: scheduler),
        ]
        for pool in configuration.pools {
            services.append(.init(service: Worker(
                backend: backend, configuration: configuration, queues: pool.queues, concurrency: pool.concurrency,
                registry: BuiltInHandlers.registry, commands: result.schedules.declarations, logger: Logger(label: "worker:\(pool.name)"),
                options: .configured(configuration))))
        }
        let logger = Logger(label: "tock")
        var api = ""
        if !noAPI {
            let address = try APIServices.address(listen, secured: !configuration.api.tokens.isEmpty)
            let apiLogger = Logger(label: "api")
            services += APIServices(
                backend: backend, configuration: configuration, schedule: result.schedules, addresses: [address], logger: apiLogger
            ).services(readiness: Readiness(listeners: 1, notifier: SystemdNotifier(), logger: apiLogger))
            let host = address.host.contains(":") ? "[\(address.host)]" : address.host
            api = "; API on http://\(host):\(address.port)/api/v1/"
        }
        logger.notice("""
            tock dev: \(result.schedules.events.count) events from \(result.schedules.files.joined(separator: ", ")); \
            workers for \(configuration.pools.map { "\($0.name) (\($0.queues.joined(separator: ",")))" }.joined(separator: ", ")); \
            backend \(SecretRedaction.url(configuration.backend))\(api). Ctrl-C stops.
            """)
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger)).run()
    }
}
