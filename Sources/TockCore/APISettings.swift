/// The `api:` section of `tock.yaml`: who may call `tock serve`, and its limits.
public struct APISettings: Sendable, Hashable {
    /// What a token may do. `admin` includes the others; `enqueue` does not include `read`.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Every `GET`: jobs, queues, workers, events, the scheduler, streams, metrics.
        case read
        /// `POST /api/v1/jobs` and `POST /api/v1/batches`.
        case enqueue
        /// Everything: operator actions (cancel, requeue, delete, pause, run, …) too.
        case admin
    }

    /// A bearer token, stored as the SHA-256 of its text: the configuration file holds no
    /// secret a reader could replay.
    public struct Token: Sendable, Hashable {
        /// Shown in logs and errors instead of the token.
        public var name: String
        /// 32 bytes.
        public var sha256: [UInt8]
        public var scopes: Set<Scope>

        public init(name: String, sha256: [UInt8], scopes: Set<Scope>) {
            self.name = name
            self.sha256 = sha256
            self.scopes = scopes
        }

        public func allows(_ scope: Scope) -> Bool {
            scopes.contains(.admin) || scopes.contains(scope)
        }
    }

    /// No tokens: the API listens on loopback only, and everything is open there.
    public var tokens: [Token]
    /// Origins a browser may call the API from (CORS); none by default.
    public var corsOrigins: [String]
    /// The largest request body, in bytes (default 16 MiB; batches streamed as NDJSON are
    /// bounded per line and by item count instead).
    public var maxBodyBytes: Int
    /// Open event streams one token (or, without tokens, one address) may hold (default 100).
    public var maxStreamsPerClient: Int

    public init(tokens: [Token] = [], corsOrigins: [String] = [], maxBodyBytes: Int = 16 << 20, maxStreamsPerClient: Int = 100) {
        self.tokens = tokens
        self.corsOrigins = corsOrigins
        self.maxBodyBytes = maxBodyBytes
        self.maxStreamsPerClient = maxStreamsPerClient
    }
}
