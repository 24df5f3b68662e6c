import Foundation
import Logging
import TockCore
import TockValues

/// What a Swift handler gets: the job it runs and a way to report progress.
public struct JobContext: Sendable {
    /// The job's id.
    public let id: JobID
    /// The job's name, the one the handler was registered for.
    public let name: String
    /// The job's positional arguments.
    public let args: [JSONValue]
    /// The job's keyword arguments.
    public let kwargs: [String: JSONValue]
    /// The queue it was taken from.
    public let queue: String
    /// Seconds it may run before it is cancelled and failed; ``TockCore/Job/noTimeout``
    /// (below 1) when it may run until done.
    public let timeout: Int
    /// The worker slot running it (`host.pid.1`).
    public let worker: String
    /// The worker's logger, with `job-id` and `job-name` metadata.
    public let logger: Logger
    let backend: any TockBackend

    init(job: Job, worker: String, backend: any TockBackend, logger: Logger) {
        id = job.id
        name = job.name
        args = job.args
        kwargs = job.kwargs
        queue = job.queue
        timeout = job.timeout
        self.worker = worker
        self.backend = backend
        self.logger = logger
    }

    /// Records how far the job is; followers of the job see it as an event.
    ///
    /// - Parameters:
    ///   - percent: 0–100; values outside are clamped.
    ///   - message: What it is doing, e.g. `importing invoices` (cut to
    ///     ``TockCore/Job/maximumMessageLength`` characters).
    /// - Throws: What the backend throws when it cannot record it. Ignored once the job
    ///   has ended (after a timeout, say).
    public func reportProgress(_ percent: Double, _ message: String? = nil) async throws {
        try await backend.reportProgress(id, progress: JobProgress(percent: percent, message: message), now: Date())
    }
}
