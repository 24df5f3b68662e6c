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
            ends open event streams and finishes requests in flight. Socket activation \
            (tock-api.socket): it serves on the sockets systemd passes instead of --listen \
            (docs/deploy.md).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address to listen on, HOST:PORT (repeatable; default 127.0.0.1:8080, or the sockets systemd passes). Non-loopback addresses need api.tokens.",
            valueName: "ADDRESS"))
    var listen: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also serve /metrics alone, without tokens, on this HOST:PORT (for Prometheus).", valueName: "ADDRESS"))
    var metricsListen: String?

    func run() async throws {
        // First, so that LISTEN_* are unset before anything else runs.
        let sockets = try Self.inheritedSockets()
        let configuration = try global.configuration()
        let secured = !configuration.api.tokens.isEmpty
        if !sockets.isEmpty, !listen.isEmpty {
            throw Self.refuse(
                "systemd passed \(sockets.count) listening socket(s) (\(sockets.map(\.description).joined(separator: ", "))) and --listen was given too: use one — remove --listen from ExecStart= (or its drop-in), or stop tock-api.socket")
        }
        do {
            try APIServices.check(sockets, secured: secured)
        } catch {
            throw Self.refuse(error.description)
        }
        let addresses = try (listen.isEmpty && sockets.isEmpty ? ["127.0.0.1:8080"] : listen).map { try APIServices.address($0, secured: secured) }
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
        let api = APIServices(
            backend: backend, configuration: configuration, schedule: schedule, addresses: addresses, metricsAddress: metricsAddress,
            logger: logger, sockets: sockets)
        // A graceful shutdown stops services in reverse order: STOPPING=1 at once, then the
        // API drains (APIServices.services), and the watchdog pings until the very end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: APIWatchdog(notifier: notifier, interval: interval, backend: backend, logger: logger)))
        }
        let (apiServices, routes) = api.make(readiness: Readiness(listeners: api.listenerCount, notifier: notifier, logger: logger))
        let reloadPaths = existing
        services.append(.init(service: ReloadOnHangup(
            notifier: notifier, logger: logger,
            load: { _ in
                // The schedule files only: tokens, CORS and the backend (tock.yaml) need a restart.
                let result = ScheduleArguments.load(reloadPaths, zone: configuration.timeZone, configuration: configuration)
                return (result.hasErrors ? nil : result.schedules, result.problems)
            },
            apply: { schedule in routes.reload(schedule) }, eventCount: { $0.events.count })))
        services += apiServices
        services.append(.init(service: StoppingNotifier(notifier: notifier)))
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    /// The listening sockets systemd passed (socket activation), or none.
    static func inheritedSockets() throws -> [InheritedSocket] {
        do {
            return try ListenFileDescriptors.take()
        } catch {
            throw refuse("\(error)")
        }
    }

    /// Prints `message` and exits 78 (EX_CONFIG): systemd does not restart the unit
    /// (RestartPreventExitStatus=78) for a mistake only an edit can fix.
    static func refuse(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("tock serve: \(TerminalText.escaped(message))\n".utf8))
        return .configurationError
    }
}
