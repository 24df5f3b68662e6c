import Foundation

extension Worker {
    /// How a worker runs jobs, beyond what the ``TockCore/Configuration`` says.
    public struct Options: Sendable {
        /// After a job's timeout, a stop request or a cold shutdown: how long a command's
        /// process group may run on after SIGTERM before SIGKILL, and how long a Swift
        /// handler may ignore cancellation before the worker gives up on it (default 10 s).
        public var gracePeriod: Duration
        /// Bytes of a command's stdout kept as its result, the last ones (default 64 KiB).
        public var outputLimit: Int
        /// The environment commands inherit from (default: the worker's own); only what
        /// ``CommandEnvironment/base(_:)`` keeps of it reaches a command.
        public var environment: [String: String]
        /// Longest an idle slot sleeps before it looks at its queues again, for backends
        /// whose ``TockCore/JobQueueBackend/waitForChange(timeout:)`` cannot see every
        /// change (another process's enqueue). Default 5 s.
        public var maximumIdleWait: Duration
        /// Between recoveries of abandoned jobs and purges of expired records (default 15 s).
        public var maintenanceInterval: Duration

        /// Options; see the properties for what each value means.
        public init(
            gracePeriod: Duration = .seconds(10), outputLimit: Int = 64 * 1024,
            environment: [String: String] = ProcessInfo.processInfo.environment,
            maximumIdleWait: Duration = .seconds(5), maintenanceInterval: Duration = .seconds(15)
        ) {
            self.gracePeriod = gracePeriod
            self.outputLimit = outputLimit
            self.environment = environment
            self.maximumIdleWait = maximumIdleWait
            self.maintenanceInterval = maintenanceInterval
        }
    }
}
