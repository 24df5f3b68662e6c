import Foundation
import Logging
import Synchronization
import TockCore

/// The Redis backend (`redis://…`, `unix://…`): jobs, queues, registries and workers kept
/// exactly as Python RQ 2.x keeps them (`docs/redis.md`, `rq-compat.md`), so real RQ workers
/// run Tock's jobs, Tock's workers run RQ's, and `rq info` lists both. Schedulers and workers
/// on many hosts share one Redis.
///
/// - **Atomicity.** Every operation that reads and then writes is one Lua script
///   (``RedisScripts``): a claim pops and starts a job in one step; every other change is
///   computed in Swift from the job as read (the same lifecycle as every backend) and
///   written by a script that first checks the job is still as it was read, else the
///   operation reads it again.
/// - **Times** are RQ's text form, whole microseconds; every job returned has its times
///   rounded so, and equals the job read back.
/// - **Waking workers.** Each change appends to the event stream `rq:tock:events`;
///   ``waitForChange(timeout:)`` blocks on it (`XREAD BLOCK`) on a connection of its own.
///   Jobs that RQ enqueues append no event: idle workers also look at their queues every
///   ``Options/pollInterval``.
/// - **Retention.** Ended jobs carry Redis TTLs as in RQ (`EXPIREAT` at their result or
///   failure TTL), and ``purgeExpired(now:)`` also removes them from RQ's registries.
/// - **RQ's side.** Ending a job queues the RQ jobs that `depends_on` it; RQ's
///   `stop-job`/`kill-horse` commands to this process's workers are heard on a
///   subscription of its own, from the first heartbeat.
public final class RedisBackend: Sendable {
    /// Choices beyond the URL.
    public struct Options: Sendable, Hashable {
        /// Prefix of every key, `rq:` (RQ's) by default; another prefix keeps several Tock
        /// installations apart on one Redis, and out of RQ's sight.
        public var prefix: String
        /// How many events the stream keeps, about (`XADD MAXLEN ~`). Default 100,000.
        public var eventsKept: Int
        /// Seconds a worker's key outlives its last heartbeat (RQ's `worker_ttl`).
        /// Default 90.
        public var workerTTL: Int
        /// Seconds a started job's `wip` entry outlives its last heartbeat; after that RQ
        /// (`rq info`, its workers' maintenance) also treats it as abandoned. Must exceed the
        /// workers' heartbeat interval; `BackendOpener` makes it `heartbeat_timeout` + 60 s
        /// (at least 90).
        public var executionTTL: Int
        /// Longest an idle worker waits before looking at its queues again, for jobs that
        /// RQ enqueued (which append no event). Default 250 ms.
        public var pollInterval: Duration

        public init(
            prefix: String = "rq:", eventsKept: Int = 100_000, workerTTL: Int = 90, executionTTL: Int = 90,
            pollInterval: Duration = .milliseconds(250)
        ) {
            self.prefix = prefix
            self.eventsKept = eventsKept
            self.workerTTL = workerTTL
            self.executionTTL = executionTTL
            self.pollInterval = pollInterval
        }
    }

    /// Where it connects.
    public let url: RedisURL
    public let options: Options
    let keys: RQKeys
    let connection: RedisConnection
    let waiter: RedisEventWaiter
    /// Jobs this process claimed and has not completed, as claimed: completing one needs
    /// no read first (the write still checks it is started by the same worker).
    let claimed = Mutex<[JobID: Job]>([:])
    let zlib = RQZlib()
    /// `ip_address` for worker hashes, once asked (``heartbeat(_:runningJobs:now:)``).
    let clientAddress = Mutex<String?>(nil)
    /// This process's workers, and the subscription to RQ's commands to them
    /// (`RedisBackend+WorkerCommands`).
    let workerCommands = Mutex<WorkerCommands>(WorkerCommands())
    let logger: Logger

    /// A backend that connects on first use.
    public init(url: RedisURL, options: Options = Options(), logger: Logger = Logger(label: "tock.redis")) {
        self.url = url
        self.options = options
        keys = RQKeys(prefix: options.prefix)
        self.logger = logger
        connection = RedisConnection(url: url, logger: logger)
        waiter = RedisEventWaiter(
            connection: RedisConnection(url: url, logger: logger), stream: keys.events, signals: keys.queueSignals,
            pollInterval: options.pollInterval)
    }

    deinit {
        workerCommands.withLock { $0.subscription?.stop() }
    }

    /// Connects now, so that a wrong URL, password or an unreachable server shows here.
    /// - Throws: ``TockCore/TockError/backendUnavailable(_:detail:)``.
    public static func connect(url: RedisURL, options: Options = Options(), logger: Logger = Logger(label: "tock.redis")) async throws
        -> RedisBackend
    {
        let backend = RedisBackend(url: url, options: options, logger: logger)
        _ = try await backend.redis { () throws(RedisError) in try await backend.connection.send(["PING"]) }
        return backend
    }

    /// Runs `body`, turning Redis errors into ``TockCore/TockError/backendUnavailable(_:detail:)``.
    func redis<T: Sendable>(_ body: () async throws(RedisError) -> T) async throws(TockError) -> T {
        do {
            return try await body()
        } catch {
            throw .backendUnavailable(url.description, detail: error.description)
        }
    }

    /// Runs one of ``RedisScripts`` with the prefix and the stream length first.
    func script(_ script: RedisScript, _ arguments: [RedisArgument]) async throws(TockError) -> RedisValue {
        try await self.script(script, RedisCommand(arguments))
    }

    /// Runs one of ``RedisScripts`` with the prefix and the stream length first.
    func script(_ script: RedisScript, _ arguments: RedisCommand) async throws(TockError) -> RedisValue {
        var all = RedisCommand([RedisArgument(options.prefix), RedisArgument(options.eventsKept)])
        all.append(contentsOf: arguments)
        return try await redis { () throws(RedisError) in try await connection.script(script, args: all) }
    }

    /// Runs a guarded write.
    func run(_ write: RedisWrite) async throws(TockError) -> Result<[Bool], RedisWrite.Refusal> {
        if write.unitCount == 0 { return .success([]) }
        let reply = try await script(RedisScripts.write, write.arguments)
        return try await redis { () throws(RedisError) in try RedisWrite.outcome(reply) }
    }

    func send(_ command: [RedisArgument]) async throws(TockError) -> RedisValue {
        try await redis { () throws(RedisError) in try await connection.send(command) }
    }

    func pipeline(_ commands: [[RedisArgument]]) async throws(TockError) -> [RedisValue] {
        if commands.isEmpty { return [] }
        return try await redis { () throws(RedisError) in try await connection.pipeline(commands) }
    }

    /// Names of every queue in `rq:queues`.
    func queueNames() async throws(TockError) -> [String] {
        let members = try await send(["SMEMBERS", RedisArgument(keys.queues)]).array ?? []
        return members.compactMap { $0.string.flatMap(keys.queueName(fromKey:)) }.sorted()
    }
}

extension RedisValue {
    /// An `HGETALL` reply as field → bytes.
    var hash: [String: [UInt8]] {
        guard let values = array else { return [:] }
        var hash: [String: [UInt8]] = [:]
        hash.reserveCapacity(values.count / 2)
        var index = 0
        while index + 1 < values.count {
            if let field = values[index].string { hash[field] = values[index + 1].bytes ?? [] }
            index += 2
        }
        return hash
    }
}

extension Dictionary where Key == String, Value == [UInt8] {
    /// A hash field as text; nil when missing or empty (RQ writes unset fields as "").
    func text(_ field: String) -> String? {
        guard let bytes = self[field], !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
