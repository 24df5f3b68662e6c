import TockCore

/// Why a worker stopped with an error: a code, the worker, the job involved if any, and
/// the details.
public struct WorkerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; more codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case unresponsiveHandler
            case invalidSetup
        }

        private let value: Value

        /// A Swift handler ignored cancellation (after a timeout, stop or cold shutdown)
        /// for the whole grace period. Its job was ended; the worker exits so that its
        /// supervisor (systemd) restarts it, which ends the handler.
        public static let unresponsiveHandler = Code(value: .unresponsiveHandler)
        /// The worker was set up with nothing it can run (no queues, an unknown queue).
        public static let invalidSetup = Code(value: .invalidSetup)

        public var description: String {
            switch value {
            case .unresponsiveHandler: "unresponsive handler"
            case .invalidSetup: "invalid setup"
            }
        }
    }

    public var code: Code
    /// The worker (slot) name.
    public var worker: String
    /// The job involved, if any.
    public var job: JobID?
    public var details: String

    /// An error; see the properties for what each value means.
    public init(_ code: Code, worker: String, job: JobID? = nil, details: String) {
        self.code = code
        self.worker = worker
        self.job = job
        self.details = details
    }

    public var description: String {
        "worker \(worker): \(code)\(job.map { " (job \($0))" } ?? ""): \(details)"
    }
}
