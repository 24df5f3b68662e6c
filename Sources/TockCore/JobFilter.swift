/// Which jobs `tock jobs` lists: newest first, at most `limit`.
public struct JobFilter: Sendable, Hashable {
    public var status: JobStatus?
    public var queue: String?
    public var batch: String?
    public var limit: Int

    public init(status: JobStatus? = nil, queue: String? = nil, batch: String? = nil, limit: Int = 100) {
        self.status = status
        self.queue = queue
        self.batch = batch
        self.limit = limit
    }

    public func matches(_ job: Job) -> Bool {
        (status == nil || job.status == status) && (queue == nil || job.queue == queue)
            && (batch == nil || job.batch == batch)
    }
}
