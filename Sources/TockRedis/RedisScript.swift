/// A Lua script and its SHA1 digest, computed once: calls send `EVALSHA <digest>`, and the
/// source only when the server does not have it yet (`NOSCRIPT`).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The digest `EVALSHA` and `SCRIPT LOAD` use, in lowercase hex.
    public let digest: String

    public init(_ source: String) {
        self.source = source
        digest = SHA1.hex(Array(source.utf8))
    }
}
