import Foundation
import TockCore

/// Where and how to connect: `redis://[user:password@]host[:port][/db]` or `unix:///path?db=N`.
///
/// Defaults: port 6379, database 0, no authentication. `unix:` URLs take `db`, `user` and
/// `password` as query items.
public struct RedisURL: Hashable, Sendable, CustomStringConvertible {
    /// The transport: a TCP host and port, or a unix socket path.
    public enum Endpoint: Hashable, Sendable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    /// The server's address.
    public var endpoint: Endpoint
    /// The ACL user for `AUTH user password`; nil authenticates as the default user.
    public var username: String?
    /// The password; nil skips AUTH.
    public var password: String?
    /// The database SELECTed after connecting.
    public var database: Int

    /// A URL from its parts.
    public init(endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a URL string; throws `RedisError.invalidURL` naming the part that was wrong.
    public init(_ string: String) throws(RedisError) {
        func invalid(_ reason: String) -> RedisError { .invalidURL(string, reason: reason) }
        guard let components = URLComponents(string: string) else {
            throw invalid("not a URL (check the port is a number and special characters in the password are percent-encoded)")
        }
        switch components.scheme?.lowercased() {
        case "redis":
            guard let host = components.host, !host.isEmpty else { throw invalid("missing host") }
            let port = components.port ?? 6379
            guard (1...65535).contains(port) else { throw invalid("port \(port) is outside 1...65535") }
            var path = components.path
            if path.hasPrefix("/") { path.removeFirst() }
            var database = 0
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else {
                    throw invalid("database '\(path)' is not a non-negative integer")
                }
                database = number
            }
            let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
            if user != nil, components.password == nil {
                throw invalid("a user is given without a password (use redis://:password@host for a password only)")
            }
            self.init(
                endpoint: .tcp(host: host, port: port), username: user,
                password: components.password, database: database
            )
        case "unix":
            guard !components.path.isEmpty, components.path.hasPrefix("/") else {
                throw invalid("missing absolute socket path (unix:///path/to/redis.sock)")
            }
            var database = 0
            var username: String?
            var password: String?
            for item in components.queryItems ?? [] {
                switch item.name {
                case "db":
                    guard let value = item.value, let number = Int(value), number >= 0 else {
                        throw invalid("db '\(item.value ?? "")' is not a non-negative integer")
                    }
                    database = number
                case "user": username = item.value
                case "password": password = item.value
                default: throw invalid("unknown query item '\(item.name)' (known: db, user, password)")
                }
            }
            self.init(endpoint: .unix(path: components.path), username: username, password: password, database: database)
        case "rediss":
            throw invalid("TLS (rediss://) is not supported by this client")
        case let other:
            throw invalid("scheme '\(other ?? "")' is not redis or unix")
        }
    }

    /// The address for messages: "host:port" or the socket path.
    public var endpointDescription: String {
        switch endpoint {
        case let .tcp(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case let .unix(path): path
        }
    }

    /// The URL with its password replaced by `***` (``TockCore/SecretRedaction``).
    public var description: String {
        switch endpoint {
        case .tcp:
            let auth = password.map { "\(username ?? ""):\($0)@" } ?? ""
            return SecretRedaction.url("redis://\(auth)\(endpointDescription)/\(database)")
        case let .unix(path): return "unix://\(path)?db=\(database)"
        }
    }
}
