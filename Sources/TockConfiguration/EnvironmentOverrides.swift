import Foundation
import TockCore
import TockValues

/// `TOCK_*` environment variables over the file's values.
struct EnvironmentOverrides {
    /// The systemd credential (`LoadCredential=tock-backend-password:/etc/tock/redis-password`)
    /// read as the backend password when nothing else names a password file.
    static let passwordCredential = "tock-backend-password"

    let environment: [String: String]

    init(_ environment: [String: String]) { self.environment = environment }

    func apply(to configuration: inout Configuration) throws(ConfigurationError) {
        if let value = value("TOCK_BACKEND") { configuration.backend = value }
        if let value = value("TOCK_BACKEND_PASSWORD_FILE") { configuration.backendPasswordFile = value }
        if configuration.backendPasswordFile == nil, let directory = value("CREDENTIALS_DIRECTORY") {
            let credential = directory + "/" + Self.passwordCredential
            if FileManager.default.fileExists(atPath: credential) { configuration.backendPasswordFile = credential }
        }
        if let value = value("TOCK_TIMEZONE") { configuration.timeZone = value }
        if let value = value("TOCK_SCHEDULES") { configuration.schedules = value.split(separator: ",").map(String.init) }
        if let seconds = try duration("TOCK_RESULT_TTL") { configuration.resultTTL = seconds }
        if let seconds = try duration("TOCK_FAILURE_TTL") { configuration.failureTTL = seconds }
        if let seconds = try duration("TOCK_SCHEDULER_INTERVAL") { configuration.schedulerInterval = seconds }
        if let seconds = try duration("TOCK_HEARTBEAT_INTERVAL") { configuration.heartbeatInterval = seconds }
        if let seconds = try duration("TOCK_HEARTBEAT_TIMEOUT") { configuration.heartbeatTimeout = seconds }
        if let seconds = try duration("TOCK_SQLITE_BUSY_TIMEOUT") { configuration.sqliteBusyTimeout = seconds }
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    private func duration(_ name: String) throws(ConfigurationError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            throw ConfigurationError(source: name, message: "bad duration '\(text)'; \(DurationText.expected)")
        }
        return seconds
    }
}
