import Foundation

/// A job's status change or progress report, as appended to the backend's event log.
/// Readers follow the log from a cursor (the realtime API streams it).
public struct JobEvent: Sendable, Hashable {
    /// Increases with every event of one backend; pass the last one seen to
    /// ``JobEventLog/events(after:limit:)`` to resume.
    public var cursor: Int64
    public var job: JobID
    public var queue: String
    public var status: JobStatus
    public var progress: JobProgress?
    public var batch: String?
    public var at: Date

    public init(cursor: Int64, job: JobID, queue: String, status: JobStatus, progress: JobProgress? = nil, batch: String? = nil, at: Date) {
        self.cursor = cursor
        self.job = job
        self.queue = queue
        self.status = status
        self.progress = progress
        self.batch = batch
        self.at = at
    }
}
