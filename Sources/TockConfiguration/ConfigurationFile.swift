import TockCore
import TockSchedule
import TockValues
import Yams

/// One configuration file, applied over a ``Configuration``.
struct ConfigurationFile {
    let path: String
    let text: String

    static let keys = [
        "backend", "backend_password_file", "timezone", "result_ttl", "failure_ttl", "scheduler_interval", "heartbeat_interval",
        "heartbeat_timeout", "sqlite_busy_timeout", "schedules", "queues", "pools", "api",
    ]

    func apply(to configuration: inout Configuration) throws(ConfigurationError) {
        if let breach = YAMLExpansion.breach(in: text) {
            throw ConfigurationError(source: path, line: breach.line, column: breach.column, message: breach.message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(source: path, message: "not valid YAML or JSON: \(error)")
        }
        guard let root else { return }
        let fields = try mapping(root, context: "the configuration", allowed: Self.keys)
        for (key, (keyNode, value)) in fields {
            switch key {
            case "backend": configuration.backend = try string(value, key)
            case "backend_password_file": configuration.backendPasswordFile = try string(value, key)
            case "timezone": configuration.timeZone = try string(value, key)
            case "result_ttl": configuration.resultTTL = try duration(value, key)
            case "failure_ttl": configuration.failureTTL = try duration(value, key)
            case "scheduler_interval": configuration.schedulerInterval = try duration(value, key)
            case "heartbeat_interval": configuration.heartbeatInterval = try duration(value, key)
            case "heartbeat_timeout": configuration.heartbeatTimeout = try duration(value, key)
            case "sqlite_busy_timeout": configuration.sqliteBusyTimeout = try duration(value, key)
            case "schedules": configuration.schedules = try strings(value, key)
            case "queues": try applyQueues(value, to: &configuration)
            case "api": configuration.api = try api(value)
            case "pools":
                // Pools are added to the built-in `default` pool (which one named
                // `default` redefines): `tock-worker@default` works whatever else is declared.
                let declared = try pools(value)
                configuration.pools = configuration.pools.filter { pool in !declared.contains { $0.name == pool.name } } + declared
            default: throw error(at: keyNode, "unknown key '\(key)'")
            }
        }
    }

    /// `queues: {name: {timeout: 5m, max_queued: 1000}}`. The built-in queues stay unless
    /// redefined here.
    private func applyQueues(_ node: Node, to configuration: inout Configuration) throws(ConfigurationError) {
        for (name, (keyNode, value)) in try mapping(node, context: "queues", allowed: nil) {
            guard name.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil else {
                throw error(at: keyNode, "queue name '\(name)' may use only letters, digits, '_', '.' and '-'")
            }
            let fields = try mapping(value, context: "queue '\(name)'", allowed: ["timeout", "max_queued"])
            let existing = configuration.queues.first { $0.name == name }
            var queue = existing ?? Configuration.Queue(name: name, timeout: 300)
            if let timeout = fields["timeout"] { queue.timeout = try duration(timeout.value, "timeout") }
            if let max = fields["max_queued"] { queue.maxQueued = try positiveInteger(max.value, "max_queued") }
            if existing != nil {
                configuration.queues = configuration.queues.map { $0.name == name ? queue : $0 }
            } else {
                configuration.queues.append(queue)
            }
        }
    }

    /// `pools: {name: {queues: [a, b], concurrency: 2}}`, sorted by name.
    private func pools(_ node: Node) throws(ConfigurationError) -> [Configuration.WorkerPool] {
        var result: [Configuration.WorkerPool] = []
        for (name, (_, value)) in try mapping(node, context: "pools", allowed: nil) {
            let fields = try mapping(value, context: "pool '\(name)'", allowed: ["queues", "concurrency"])
            guard let queues = fields["queues"] else {
                throw error(at: value, "pool '\(name)' needs 'queues', a list in priority order, e.g. [short, default]")
            }
            let concurrency = try fields["concurrency"].map { field throws(ConfigurationError) in
                let value = try positiveInteger(field.value, "concurrency")
                guard value <= 1024 else { throw error(at: field.value, "'concurrency' must be between 1 and 1024, not \(value)") }
                return value
            } ?? 1
            result.append(.init(name: name, queues: try strings(queues.value, "queues"), concurrency: concurrency))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// `api: {tokens: [{name, sha256, scopes}], cors_origins: [...], max_body_bytes, max_streams_per_client}`.
    private func api(_ node: Node) throws(ConfigurationError) -> APISettings {
        let fields = try mapping(node, context: "api", allowed: ["tokens", "cors_origins", "max_body_bytes", "max_streams_per_client"])
        var settings = APISettings()
        if let tokens = fields["tokens"] {
            guard let sequence = tokens.value.sequence else {
                throw error(at: tokens.value, "'tokens' must be a list of {name, sha256, scopes}")
            }
            for item in sequence {
                let token = try self.token(item)
                if settings.tokens.contains(where: { $0.name == token.name }) {
                    throw error(at: item, "two tokens are named '\(token.name)'; names must differ")
                }
                settings.tokens.append(token)
            }
        }
        if let origins = fields["cors_origins"] {
            settings.corsOrigins = try strings(origins.value, "cors_origins")
            for origin in settings.corsOrigins where origin.range(of: "^https?://[^/]+$", options: .regularExpression) == nil {
                throw error(at: origins.value, "CORS origin '\(origin)' must be a scheme and host, such as https://app.example.com")
            }
        }
        if let size = fields["max_body_bytes"] { settings.maxBodyBytes = try positiveInteger(size.value, "max_body_bytes") }
        if let streams = fields["max_streams_per_client"] {
            settings.maxStreamsPerClient = try positiveInteger(streams.value, "max_streams_per_client")
        }
        return settings
    }

    /// `{name: web, sha256: <64 hex digits>, scopes: [enqueue, read]}`.
    private func token(_ node: Node) throws(ConfigurationError) -> APISettings.Token {
        let fields = try mapping(node, context: "a token", allowed: ["name", "sha256", "scopes"])
        guard let name = fields["name"], let hash = fields["sha256"], let scopes = fields["scopes"] else {
            throw error(at: node, "a token needs name, sha256 (of the token: printf %s \"$TOKEN\" | sha256sum) and scopes (read, enqueue, admin)")
        }
        let hex = try string(hash.value, "sha256").lowercased()
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
            throw error(at: hash.value, "'sha256' must be the 64 hex digits of the token's SHA-256, not the token itself")
        }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        var granted: Set<APISettings.Scope> = []
        for text in try strings(scopes.value, "scopes") {
            guard let scope = APISettings.Scope(rawValue: text) else {
                throw error(at: scopes.value, "unknown scope '\(text)'; one of read, enqueue, admin")
            }
            granted.insert(scope)
        }
        let tokenName = try string(name.value, "name")
        guard tokenName.range(of: "^[A-Za-z0-9_-]{1,64}$", options: .regularExpression) != nil else {
            throw error(at: name.value, "token name '\(tokenName)' may use only letters, digits, '_' and '-' (1 to 64)")
        }
        return APISettings.Token(name: tokenName, sha256: bytes, scopes: granted)
    }

    // MARK: - Values

    private func mapping(_ node: Node, context: String, allowed: [String]?) throws(ConfigurationError) -> [String: (key: Node, value: Node)] {
        guard let mapping = node.mapping else {
            throw error(at: node, "\(context) must be a map" + (allowed.map { " with keys " + $0.joined(separator: ", ") } ?? ""))
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error(at: key, "expected a name as the key") }
            if let allowed, !allowed.contains(name) {
                throw error(at: key, "unknown key '\(name)' in \(context); allowed: \(allowed.joined(separator: ", "))")
            }
            result[name] = (key, value)
        }
        return result
    }

    private func string(_ node: Node, _ key: String) throws(ConfigurationError) -> String {
        guard let text = node.scalar?.string, !text.isEmpty else { throw error(at: node, "'\(key)' must be a non-empty string") }
        return text
    }

    private func strings(_ node: Node, _ key: String) throws(ConfigurationError) -> [String] {
        if let single = node.scalar?.string { return [single] }
        guard let sequence = node.sequence else { throw error(at: node, "'\(key)' must be a list of strings") }
        var result: [String] = []
        for item in sequence { result.append(try string(item, key)) }
        return result
    }

    private func duration(_ node: Node, _ key: String) throws(ConfigurationError) -> Int {
        guard let text = node.scalar?.string, let seconds = DurationText.seconds(text), seconds > 0 else {
            throw error(at: node, "bad duration for '\(key)'; \(DurationText.expected)")
        }
        return seconds
    }

    private func positiveInteger(_ node: Node, _ key: String) throws(ConfigurationError) -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value >= 1 else {
            throw error(at: node, "'\(key)' must be a whole number of at least 1")
        }
        return value
    }

    private func error(at node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError(source: path, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0), message: message)
    }
}
