import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TockAPI
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
        let addresses = try (listen.isEmpty ? ["127.0.0.1:8080"] : listen).map { try Self.address($0, secured: secured) }
        let metricsAddress = try metricsListen.map { try Self.address($0, secured: secured) }
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
        if !secured { logger.notice("no api.tokens configured: listening on loopback only, every request allowed") }
        let hub = EventHub(backend: backend, logger: logger)
        let routes = APIRoutes(client: JobClient(backend: backend, configuration: configuration), schedule: schedule, hub: hub)
        let notifier = SystemdNotifier()
        let readiness = Readiness(listeners: addresses.count, notifier: notifier, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: StoppingNotifier(notifier: notifier)), .init(service: hub)]
        for address in addresses {
            services.append(.init(service: Application(
                router: routes.router(), configuration: .init(address: .hostname(address.host, port: address.port), serverName: "tock"),
                onServerRunning: { channel in
                    await readiness.listening(on: channel.localAddress.map { "\($0)" } ?? "\(address.host):\(address.port)", backend: backend)
                },
                logger: logger)))
        }
        if let metricsAddress {
            services.append(.init(service: Application(
                router: routes.metricsRouter(),
                configuration: .init(address: .hostname(metricsAddress.host, port: metricsAddress.port), serverName: "tock"),
                logger: logger)))
        }
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: APIWatchdog(notifier: notifier, interval: interval, backend: backend, logger: logger)))
        }
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    /// `HOST:PORT`; without tokens the host must be a loopback address.
    static func address(_ text: String, secured: Bool) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen '\(text)': expected HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard secured || ["::1", "localhost"].contains(host) || host.hasPrefix("127.") else {
            throw ValidationError(
                "--listen '\(text)': without api.tokens in the configuration the API is open to whoever reaches it, so it listens on loopback only (127.0.0.1, [::1], localhost); configure tokens (docs/security.md) to listen on \(host)")
        }
        return (host, port)
    }
}

/// `READY=1` once every listener is up and the backend answers.
actor Readiness {
    let notifier: SystemdNotifier
    let logger: Logger
    private var waiting: Int

    init(listeners: Int, notifier: SystemdNotifier, logger: Logger) {
        self.waiting = listeners
        self.notifier = notifier
        self.logger = logger
    }

    func listening(on address: String, backend: any TockBackend) async {
        logger.notice("listening on \(address)")
        waiting -= 1
        guard waiting == 0 else { return }
        while (try? await backend.queueCounts()) == nil {
            _ = notifier.status("waiting for the backend to answer")
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
        }
        _ = notifier.ready(status: "serving")
    }
}

/// `WATCHDOG=1` at half the unit's `WatchdogSec=` while the backend answers: an API that
/// cannot reach its backend is restarted (and its streams resume from the log).
struct APIWatchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let backend: any TockBackend
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if (try? await backend.queueCounts()) != nil {
                    _ = notifier.watchdog()
                } else {
                    logger.warning("the backend does not answer; no watchdog ping")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
