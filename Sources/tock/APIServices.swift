import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TockAPI
import TockCore
import TockSchedule
import TockSystemd

/// The HTTP API's services — the event reader and one HTTP server per address or
/// inherited socket — as `tock serve` and `tock dev` run them.
struct APIServices {
    let backend: any TockBackend
    let configuration: Configuration
    let schedule: ScheduleSet
    let addresses: [(host: String, port: Int)]
    var metricsAddress: (host: String, port: Int)?
    let logger: Logger
    /// Listening sockets passed by systemd (`tock-api.socket`), served besides `addresses`.
    var sockets: [InheritedSocket] = []

    var listenerCount: Int { addresses.count + sockets.count }

    /// The servers first and the event reader (with the metrics that follow it) last: a
    /// graceful shutdown stops services in reverse order, so the reader ends first, which ends every open event stream (its
    /// subscribers finish); then each server stops accepting and waits for the requests
    /// in flight, which no endless stream holds up any more.
    func services(readiness: Readiness) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        make(readiness: readiness).services
    }

    /// The services, and the routes they serve (to reload their schedule on SIGHUP).
    func make(readiness: Readiness) -> (services: [ServiceGroupConfiguration.ServiceConfiguration], routes: APIRoutes) {
        if configuration.api.tokens.isEmpty { logger.notice("no api.tokens configured: listening on loopback only, every request allowed") }
        let hub = EventHub(backend: backend, logger: logger)
        let routes = APIRoutes(client: JobClient(backend: backend, configuration: configuration), schedule: schedule, hub: hub)
        // swift-metrics allows one bootstrap per process; serve and dev build their API once.
        routes.processMetrics.bootstrapMetricsSystem()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let backend = self.backend
        for address in addresses {
            services.append(.init(service: Application(
                router: routes.router(), server: routes.httpServer(),
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: "tock"),
                onServerRunning: { channel in
                    await readiness.listening(on: channel.localAddress.map { "\($0)" } ?? "\(address.host):\(address.port)", backend: backend)
                },
                logger: logger)))
        }
        for socket in sockets {
            services.append(.init(service: InheritedSocketServer(
                socket: socket, responder: routes.router().buildResponder(), serverName: "tock",
                onServerRunning: { _ in await readiness.listening(on: "\(socket) (from systemd)", backend: backend) }, logger: logger)))
        }
        if let metricsAddress {
            services.append(.init(service: Application(
                router: routes.metricsRouter(),
                configuration: .init(address: .hostname(metricsAddress.host, port: metricsAddress.port), serverName: "tock"),
                logger: logger)))
        }
        // Last: shut down first, before the reader it follows ends its subscription.
        services.append(.init(service: hub))
        services.append(.init(service: JobTimingObserver(hub: hub, metrics: routes.processMetrics)))
        return (services, routes)
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

    /// The same rule for sockets systemd passed: without tokens each must be bound to a
    /// loopback address or be a unix socket.
    static func check(_ sockets: [InheritedSocket], secured: Bool) throws(InheritedSocketError) {
        guard !secured, let open = sockets.first(where: { !$0.isLocal }) else { return }
        throw InheritedSocketError(
            descriptor: open.descriptor,
            problem: "is bound to \(open), not a loopback address: without api.tokens in the configuration the API is open to whoever reaches it, so it serves loopback only; set ListenStream=127.0.0.1:PORT in tock-api.socket, or configure tokens (docs/security.md)")
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
