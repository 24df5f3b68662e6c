/// What a Tock installation is configured with (`tock.yaml`, `TOCK_*` variables, flags).
/// Every value has a default, so nothing needs configuring to start.
public struct Configuration: Sendable, Hashable {
    /// A queue: its default job timeout and how many queued jobs it may hold.
    public struct Queue: Sendable, Hashable {
        public var name: String
        /// Seconds.
        public var timeout: Int
        /// `nil`: unbounded.
        public var maxQueued: Int?

        public init(name: String, timeout: Int, maxQueued: Int? = nil) {
            self.name = name
            self.timeout = timeout
            self.maxQueued = maxQueued
        }
    }

    /// A named set of workers: the queues they take, in priority order, and how many
    /// jobs run at once.
    public struct WorkerPool: Sendable, Hashable {
        public var name: String
        public var queues: [String]
        public var concurrency: Int

        public init(name: String, queues: [String], concurrency: Int = 1) {
            self.name = name
            self.queues = queues
            self.concurrency = concurrency
        }
    }

    /// `sqlite:PATH`, `memory:`, `redis://…` or `unix://…`. Default `sqlite:./tock.db`.
    public var backend: String
    /// A file holding the Redis password (its first line), used when ``backend`` carries
    /// none, so that the password is on no command line and in no unit file. Default:
    /// systemd's credential `$CREDENTIALS_DIRECTORY/tock-backend-password` if it exists.
    public var backendPasswordFile: String?
    public var queues: [Queue]
    public var pools: [WorkerPool]
    /// Seconds finished jobs are kept (default 600).
    public var resultTTL: Int
    /// Seconds failed, canceled and stopped jobs are kept (default 7 days).
    public var failureTTL: Int
    /// The service's time zone, for schedules that name none (default UTC).
    public var timeZone: String
    /// Seconds between fires of the `all` frequency (default 240, as Frappe).
    public var schedulerInterval: Int
    /// Seconds between a worker's heartbeats (default 10).
    public var heartbeatInterval: Int
    /// Seconds without a heartbeat after which a worker's jobs are abandoned (default 30).
    public var heartbeatTimeout: Int
    /// Seconds an operation on SQLite waits for another connection's write lock (another
    /// process holding a long transaction) before it fails (default 5).
    public var sqliteBusyTimeout: Int
    /// Schedule files and directories (default `schedules/`).
    public var schedules: [String]
    /// `tock serve`: tokens, CORS origins, limits.
    public var api = APISettings()

    public init(
        backend: String = "sqlite:./tock.db",
        queues: [Queue] = Configuration.defaultQueues,
        pools: [WorkerPool] = [WorkerPool(name: "default", queues: ["short", "default", "long"])],
        resultTTL: Int = 600, failureTTL: Int = 7 * 24 * 3600, timeZone: String = "UTC",
        schedulerInterval: Int = 240, heartbeatInterval: Int = 10, heartbeatTimeout: Int = 30,
        schedules: [String] = ["schedules/"], sqliteBusyTimeout: Int = 5
    ) {
        self.backend = backend
        self.queues = queues
        self.pools = pools
        self.resultTTL = resultTTL
        self.failureTTL = failureTTL
        self.timeZone = timeZone
        self.schedulerInterval = schedulerInterval
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.schedules = schedules
        self.sqliteBusyTimeout = sqliteBusyTimeout
    }

    /// `short` 300 s, `default` 300 s, `long` 1500 s, as Frappe.
    public static let defaultQueues = [
        Queue(name: "short", timeout: 300), Queue(name: "default", timeout: 300), Queue(name: "long", timeout: 1500),
    ]

    /// The queue named `name`, or ``TockError/unknownQueue(_:known:)``.
    public func queue(_ name: String) throws(TockError) -> Queue {
        guard let queue = queues.first(where: { $0.name == name }) else {
            throw .unknownQueue(name, known: queues.map(\.name))
        }
        return queue
    }

    /// Queue name → `max_queued`, for the queues that have one.
    public var maxQueued: [String: Int] {
        Dictionary(queues.compactMap { queue in queue.maxQueued.map { (queue.name, $0) } }) { first, _ in first }
    }
}
