import Dispatch
import Logging
import Synchronization

/// One connection to Redis, safe to share between tasks; commands run one at a time, in order.
/// Commands that tasks send while the connection is busy go out together, as one pipeline
/// (one write, one read), so many tasks sharing a connection do not wait a round trip each.
///
/// hiredis blocks, so every call runs on this connection's own serial dispatch queue, never on
/// Swift's cooperative thread pool. After the connection drops, the command in flight throws
/// `RedisError.connectionLost` (it is not replayed) and the next command reconnects, retrying
/// with exponential backoff.
public final class RedisConnection: @unchecked Sendable {
    /// Timeouts and reconnection.
    public struct Options: Sendable {
        /// How long a TCP or unix connect may take. Default 5 s.
        public var connectTimeout: Duration
        /// How long to wait for a reply; nil waits forever (for blocking commands). Default nil.
        public var commandTimeout: Duration?
        /// Connect attempts after the first fails with a connection error. Default 3.
        public var reconnectAttempts: Int
        /// The wait before the first retry, doubling up to `maximumBackoff`. Default 50 ms.
        public var reconnectBackoff: Duration
        /// The longest wait between retries. Default 1 s.
        public var maximumBackoff: Duration

        /// Options with the documented defaults.
        public init(
            connectTimeout: Duration = .seconds(5),
            commandTimeout: Duration? = nil,
            reconnectAttempts: Int = 3,
            reconnectBackoff: Duration = .milliseconds(50),
            maximumBackoff: Duration = .seconds(1)
        ) {
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.reconnectAttempts = reconnectAttempts
            self.reconnectBackoff = reconnectBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// Where this connection goes.
    public let url: RedisURL
    /// Confined to `queue`.
    private let session: RedisSession
    private let queue: DispatchQueue
    /// Commands sent and not yet written, with who waits for each reply.
    private let waiting = Mutex<[(command: RedisCommand, reply: CheckedContinuation<Result<RedisValue, RedisError>, Never>)]>([])

    /// A connection that connects on its first command.
    public init(url: RedisURL, options: Options = Options(), logger: Logger = Logger(label: "tock.redis")) {
        self.url = url
        self.session = RedisSession(url: url, options: options, logger: logger)
        self.queue = DispatchQueue(label: "tock.redis \(url.endpointDescription)")
    }

    /// Connects now (authenticating and selecting the database), so a bad URL, password or
    /// unreachable server shows up here rather than on the first command.
    public static func connect(
        to url: RedisURL, options: Options = Options(), logger: Logger = Logger(label: "tock.redis")
    ) async throws(RedisError) -> RedisConnection {
        let connection = RedisConnection(url: url, options: options, logger: logger)
        _ = try await connection.send(["PING"])
        return connection
    }

    /// Sends one command and returns its reply; an error reply throws `RedisError.server`.
    @discardableResult
    public func send(_ arguments: [RedisArgument]) async throws(RedisError) -> RedisValue {
        try await send(RedisCommand(arguments))
    }

    /// Sends one command, already encoded, and returns its reply; an error reply throws
    /// `RedisError.server`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws(RedisError) -> RedisValue {
        let result: Result<RedisValue, RedisError> = await withCheckedContinuation { continuation in
            let first = waiting.withLock { waiting in
                waiting.append((command, continuation))
                return waiting.count == 1
            }
            // The first command waiting schedules the write of all those waiting by then.
            if first { queue.async { [self] in sendWaiting() } }
        }
        let reply = try result.get()
        if case let .error(message) = reply {
            throw RedisError.server(command: command.name, message: message)
        }
        return reply
    }

    /// On the queue: writes every waiting command (one pipeline when there are several) and
    /// hands each waiter its reply. A connection error fails every one of them.
    private func sendWaiting() {
        let batch = waiting.withLock { waiting in
            defer { waiting.removeAll(keepingCapacity: true) }
            return waiting
        }
        guard !batch.isEmpty else { return }
        if batch.count == 1 {
            batch[0].reply.resume(returning: Result { () throws(RedisError) in try session.command(batch[0].command) })
            return
        }
        do {
            let replies = try session.pipeline(batch.map { $0.command })
            for (waiter, reply) in zip(batch, replies) { waiter.reply.resume(returning: .success(reply)) }
        } catch {
            for waiter in batch { waiter.reply.resume(returning: .failure(error)) }
        }
    }

    /// Sends all commands, then reads all replies; error replies are returned as `.error` values.
    public func pipeline(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RedisValue] {
        let encoded = commands.map(RedisCommand.init)
        return try await onQueue { (session) throws(RedisError) -> [RedisValue] in try session.pipeline(encoded) }
    }

    /// Closes the socket; a later command reconnects.
    public func close() async {
        _ = try? await onQueue { session in session.close() }
    }

    /// Runs `body` on the connection's queue and resumes the caller with its result.
    func onQueue<T: Sendable>(_ body: @escaping @Sendable (RedisSession) throws(RedisError) -> T) async throws(RedisError) -> T {
        let result: Result<T, RedisError> = await withCheckedContinuation { continuation in
            queue.async { [session] in
                continuation.resume(returning: Result { () throws(RedisError) -> T in try body(session) })
            }
        }
        return try result.get()
    }
}
