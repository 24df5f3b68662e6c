import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TockBackends
import TockCore
import TockSchedule
import TockSystemd

/// `tock serve`: the HTTP API on the configured backend (docs/api.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API: enqueue and follow jobs, queues, workers, events (docs/api.md).",
        discussion: """
            Stateless: any number of tock serve processes may serve one backend. Without api.tokens \
            in the configuration it listens on loopback only (everything is open there); with tokens, \
            every request needs one (docs/security.md). Under systemd it sends READY=1 once listening \
            and the backend answers, WATCHDOG=1 while it does, and STOPPING=1 on SIGTERM, then \
            finishes open requests.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address to listen on, HOST:PORT (repeatable; default 127.0.0.1:8080). Non-loopback addresses need api.tokens.",
            valueName: "ADDRESS"))
    var listen: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also serve /metrics alone, without tokens, on this HOST:PORT (for Prometheus).", valueName: "ADDRESS"))
    var metricsListen: String?

    func run() async throws {
        let configuration = try global.configuration()
        let secured = !configuration.api.tokens.isEmpty
        let addresses = try (listen.isEmpty ? ["127.0.0.1:8080"] : listen).map { try APIServices.address($0, secured: secured) }
        let metricsAddress = try metricsListen.map { try APIServices.address($0, secured: secured) }
        let paths = ScheduleArguments.paths(scheduleOptions.schedules, configuration)
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        var schedule = ScheduleSet()
        if !existing.isEmpty {
            let result = ScheduleArguments.load(existing, zone: configuration.timeZone, configuration: configuration)
            for problem in result.problems { FileHandle.standardError.write(Data("\(TerminalText.escaped(problem.description))\n".utf8)) }
            if result.hasErrors { throw ExitCode.configurationError }
            schedule = result.schedules
        }
        let backend = try BackendOpener.open(configuration)
        let logger = Logger(label: "tock.api")
        let notifier = SystemdNotifier()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: StoppingNotifier(notifier: notifier))]
        services += APIServices(
            backend: backend, configuration: configuration, schedule: schedule, addresses: addresses, metricsAddress: metricsAddress,
            logger: logger
        ).services(readiness: Readiness(listeners: addresses.count, notifier: notifier, logger: logger))
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: APIWatchdog(notifier: notifier, interval: interval, backend: backend, logger: logger)))
        }
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}
