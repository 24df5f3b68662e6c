import Foundation
import TockCore
import TockValues
import Yams

/// Reads the configuration: `tock.yaml` (JSON is accepted: it is YAML too), then `TOCK_*`
/// environment variables over it, then command-line flags over both.
///
/// | key | variable | default |
/// |---|---|---|
/// | `backend` | `TOCK_BACKEND` | `sqlite:./tock.db` |
/// | `backend_password_file` | `TOCK_BACKEND_PASSWORD_FILE` | `$CREDENTIALS_DIRECTORY/tock-backend-password` if it exists |
/// | `timezone` | `TOCK_TIMEZONE` | `UTC` |
/// | `result_ttl` | `TOCK_RESULT_TTL` | `10m` |
/// | `failure_ttl` | `TOCK_FAILURE_TTL` | `7d` |
/// | `scheduler_interval` | `TOCK_SCHEDULER_INTERVAL` | `4m` |
/// | `heartbeat_interval` | `TOCK_HEARTBEAT_INTERVAL` | `10s` |
/// | `heartbeat_timeout` | `TOCK_HEARTBEAT_TIMEOUT` | `30s` |
/// | `sqlite_busy_timeout` | `TOCK_SQLITE_BUSY_TIMEOUT` | `5s` |
/// | `schedules` | `TOCK_SCHEDULES` (comma-separated) | `[schedules/]` |
/// | `queues` | — | `short` 5m, `default` 5m, `long` 25m |
/// | `pools` | — | `default`: short, default, long (always there; `pools:` adds to it or redefines it) |
/// | `api` | — | no tokens (loopback only), no CORS origins, 16 MiB bodies (docs/api.md) |
///
/// swift-configuration reads flat keys well but cannot list the names under `queues:` and
/// `pools:`, and schedule files already report YAML errors with line and column through
/// Yams; so the file is read with Yams, in the same way.
public struct ConfigurationLoader: Sendable {
    /// The file to read; `nil`: `TOCK_CONFIG`, else `./tock.yaml` if it exists, else none.
    public var path: String?
    public var environment: [String: String]

    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.path = path
        self.environment = environment
    }

    /// The file that will be read, if any.
    public var resolvedPath: String? {
        if let path { return path }
        if let path = environment["TOCK_CONFIG"], !path.isEmpty { return path }
        return FileManager.default.fileExists(atPath: "tock.yaml") ? "tock.yaml" : nil
    }

    /// Loads the file (if any) and the environment over the defaults.
    public func load() throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        if let file = resolvedPath {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationError(source: file, message: "cannot read the configuration file: \(Self.reason(error))")
            }
            try ConfigurationFile(path: file, text: text).apply(to: &configuration)
        }
        try EnvironmentOverrides(environment).apply(to: &configuration)
        try configuration.validate(source: resolvedPath ?? "configuration")
        return configuration
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

extension Configuration {
    /// Checks what fields cannot check alone: pools name known queues, numbers are positive.
    func validate(source: String) throws(ConfigurationError) {
        let names = Set(queues.map(\.name))
        for pool in pools {
            for queue in pool.queues where !names.contains(queue) {
                throw ConfigurationError(
                    source: source,
                    message: "pool '\(pool.name)' takes unknown queue '\(queue)'; configured queues: \(queues.map(\.name).joined(separator: ", "))")
            }
            if pool.queues.isEmpty {
                throw ConfigurationError(source: source, message: "pool '\(pool.name)' takes no queue; give it at least one")
            }
        }
        if heartbeatTimeout <= heartbeatInterval {
            throw ConfigurationError(
                source: source,
                message: "heartbeat_timeout (\(heartbeatTimeout) s) must be longer than heartbeat_interval (\(heartbeatInterval) s)")
        }
    }
}
