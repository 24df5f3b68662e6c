import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TockAPI
import TockBackends
import TockCore
import TockSchedule
import TockSystemd

/// `tock serve`: the HTTP API on the configured backend (first step of docs/api.md: jobs,
/// their actions, queues, workers, health).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API: enqueue and follow jobs, queues, workers (docs/api.md).",
        discussion: """
            Stateless: any number of tock serve processes may serve one backend. Without \
            authentication (not built yet) it listens on loopback only. Under systemd it sends \
            READY=1 once listening and STOPPING=1 on SIGTERM.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(name: .long, help: ArgumentHelp("Address to listen on, HOST:PORT: 127.0.0.1, [::1] or localhost.", valueName: "ADDRESS"))
    var listen = "127.0.0.1:8080"

    @Option(name: .long, help: ArgumentHelp("Also serve /metrics alone on this HOST:PORT (for Prometheus).", valueName: "ADDRESS"))
    var metricsListen: String?

    func run() async throws {
        let (host, port) = try Self.address(listen)
        let metricsAddress = try metricsListen.map(Self.address)
        let configuration = try global.configuration()
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
        let hub = EventHub(backend: backend, logger: logger)
        let routes = APIRoutes(client: JobClient(backend: backend, configuration: configuration), schedule: schedule, hub: hub)
        let notifier = SystemdNotifier()
        let application = Application(
            router: routes.router(), server: routes.httpServer(),
            configuration: .init(address: .hostname(host, port: port), serverName: "tock"),
            onServerRunning: { channel in
                let line = "listening on \(channel.localAddress.map { "\($0)" } ?? listen)"
                logger.notice("\(line)")
                _ = notifier.ready(status: line)
            },
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StoppingNotifier(notifier: notifier)), .init(service: hub), .init(service: application),
        ]
        if let metricsAddress {
            services.append(.init(service: Application(
                router: routes.metricsRouter(),
                configuration: .init(address: .hostname(metricsAddress.host, port: metricsAddress.port), serverName: "tock"),
                logger: logger)))
        }
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    /// `HOST:PORT` with a loopback host: the API has no authentication yet.
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen '\(text)': expected HOST:PORT, such as 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") else {
            throw ValidationError(
                "--listen '\(text)': the API has no authentication yet, so it listens on loopback only (127.0.0.1, [::1], localhost)")
        }
        return (host, port)
    }
}
