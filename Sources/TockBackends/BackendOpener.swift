import Foundation
import TockCore
import TockRedis
import TockSQLite

/// Opens the backend a URL names: `sqlite:PATH` (the embedded default), `redis://…` or
/// `unix://…` (Redis in RQ's layout; `?prefix=NAME:` for a key prefix other than `rq:`),
/// or `memory:`.
public enum BackendOpener {
    /// The backend `url` names.
    /// - Throws: ``TockCore/TockError/unsupportedBackend(_:)`` for another scheme, and the
    ///   backend's own errors for a path or URL it cannot use.
    public static func open(_ url: String) throws -> any TockBackend {
        try open(url, heartbeatTimeout: Configuration().heartbeatTimeout, sqliteBusyTimeout: Configuration().sqliteBusyTimeout)
    }

    /// The backend `configuration` names, set up for its heartbeat timeout (on Redis, a
    /// running job's `wip` deadline outlasts it by 60 s, so that RQ's maintenance and
    /// `rq info` never take a live job for abandoned) and, on SQLite, its busy timeout. A
    /// Redis URL without a password takes the first line of
    /// ``TockCore/Configuration/backendPasswordFile``, if set.
    public static func open(_ configuration: Configuration) throws -> any TockBackend {
        try open(
            configuration.backend, heartbeatTimeout: configuration.heartbeatTimeout,
            sqliteBusyTimeout: configuration.sqliteBusyTimeout, passwordFile: configuration.backendPasswordFile)
    }

    /// The file a `sqlite:` URL names (`sqlite:PATH`, `sqlite:///abs/path`,
    /// `sqlite://rel`), or `nil` for another scheme.
    public static func sqlitePath(_ url: String) -> String? {
        guard url.hasPrefix("sqlite:") else { return nil }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path.removeFirst(2) }
        return path
    }

    /// Whether `url` names the in-memory backend, which lives and dies with one process.
    public static func isMemory(_ url: String) -> Bool { url == "memory:" || url == "memory" }

    private static func open(_ url: String, heartbeatTimeout: Int, sqliteBusyTimeout: Int, passwordFile: String? = nil) throws -> any TockBackend {
        if isMemory(url) { return MemoryBackend() }
        if let path = sqlitePath(url) {
            guard !path.isEmpty else { throw TockError.unsupportedBackend(url) }
            return try SQLiteBackend(path: path, options: .init(busyTimeout: .seconds(sqliteBusyTimeout)))
        }
        if url.hasPrefix("redis://") || url.hasPrefix("unix://") {
            return try openRedis(url, heartbeatTimeout: heartbeatTimeout, passwordFile: passwordFile)
        }
        throw TockError.unsupportedBackend(url)
    }

    /// A Redis backend; it connects on first use.
    private static func openRedis(_ url: String, heartbeatTimeout: Int, passwordFile: String?) throws -> RedisBackend {
        var options = RedisBackend.Options()
        options.executionTTL = max(options.executionTTL, heartbeatTimeout + 60)
        options.workerTTL = max(options.workerTTL, heartbeatTimeout + 60)
        var text = url
        if var components = URLComponents(string: url), let items = components.queryItems,
            let prefix = items.first(where: { $0.name == "prefix" })
        {
            guard let value = prefix.value, !value.isEmpty else {
                throw TockError.invalidArgument("backend \(SecretRedaction.url(url)): prefix= needs a value, such as prefix=myapp:")
            }
            options.prefix = value
            let rest = items.filter { $0.name != "prefix" }
            components.queryItems = rest.isEmpty ? nil : rest
            text = components.string ?? url
        }
        var redisURL: RedisURL
        do {
            redisURL = try RedisURL(text)
        } catch {
            throw TockError.invalidArgument("backend: \(error)")
        }
        if redisURL.password == nil, let passwordFile {
            redisURL.password = try password(from: passwordFile)
        }
        return RedisBackend(url: redisURL, options: options)
    }

    /// The first line of `path`, without its line break.
    private static func password(from path: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TockError.invalidArgument("backend password file \(path): cannot be read (\((error as NSError).localizedDescription))")
        }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !password.isEmpty else {
            throw TockError.invalidArgument("backend password file \(path) is empty; write the password on its first line")
        }
        return password
    }
}
