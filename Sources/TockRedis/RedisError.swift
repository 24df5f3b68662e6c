import TockCore

/// What went wrong talking to Redis: each case says what failed, where, and what was expected.
public enum RedisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A connection URL could not be parsed; `reason` says which part and what is accepted.
    case invalidURL(String, reason: String)
    /// No connection could be made to `endpoint` (e.g. "127.0.0.1:6379": connection refused).
    case connectionFailed(endpoint: String, reason: String)
    /// The connection dropped while `command` was in flight; the command was not replayed
    /// and may or may not have run on the server.
    case connectionLost(endpoint: String, command: String, reason: String)
    /// The server rejected AUTH for `user` (nil: the default user / `requirepass`).
    case authenticationFailed(endpoint: String, user: String?, message: String)
    /// The server answered `command` with an error reply; `message` is the server's text.
    case server(command: String, message: String)
    /// The reply did not have the shape the caller needed, or hiredis reported a protocol error.
    case protocolError(String)
    /// EXEC returned null: a WATCHed key changed, so the transaction did not run.
    case transactionAborted

    /// Whether the error means no usable connection (so a later command reconnects).
    public var isConnectionError: Bool {
        switch self {
        case .connectionFailed, .connectionLost: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .invalidURL(url, reason):
            "invalid Redis URL '\(SecretRedaction.url(url))': \(reason); expected redis://[user:password@]host[:port][/db] or unix:///path?db=N"
        case let .connectionFailed(endpoint, reason):
            "could not connect to Redis at \(endpoint): \(reason) (is redis-server running and listening there?)"
        case let .connectionLost(endpoint, command, reason):
            "connection to Redis at \(endpoint) lost during \(command): \(reason); the command was not retried and may or may not have run"
        case let .authenticationFailed(endpoint, user, message):
            "Redis at \(endpoint) rejected AUTH for \(user.map { "user '\($0)'" } ?? "the default user"): \(message); check the password (and ACL user) in the URL"
        case let .server(command, message):
            "Redis error reply to \(command): \(message)"
        case let .protocolError(message):
            "Redis protocol error: \(message)"
        case .transactionAborted:
            "Redis transaction aborted: EXEC returned null because a WATCHed key changed"
        }
    }
}
