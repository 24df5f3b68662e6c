import Foundation
import TockValues

/// Enqueues jobs and batches the way the configuration says: checks names, ids and
/// queues, fills in timeouts, applies `max_queued`. The CLI, the scheduler and the API
/// enqueue through it; the backend below only stores.
public struct JobClient: Sendable {
    public let backend: any TockBackend
    public let configuration: Configuration

    public init(backend: any TockBackend, configuration: Configuration) {
        self.backend = backend
        self.configuration = configuration
    }

    /// The job record `request` describes, checked against the configuration.
    public func makeJob(_ request: EnqueueRequest, now: Date, batch: String? = nil) throws(TockError) -> Job {
        if let problem = JobLimits.nameProblem(request.name) { throw .invalidArgument(problem) }
        let queue = try configuration.queue(request.queue)
        let id = try request.id.map { text throws(TockError) in try JobID(text) } ?? .random()
        try Self.checkLimits(request)
        let delayed = request.at.map { $0 > now } ?? false
        return Job(
            id: id, name: request.name, args: request.args, kwargs: request.kwargs, queue: queue.name,
            timeout: request.timeout ?? queue.timeout, status: delayed ? .scheduled : .queued, createdAt: now,
            enqueuedAt: delayed ? nil : now, retriesLeft: request.retry?.max ?? 0,
            retryIntervals: request.retry?.intervals ?? [], batch: batch, origin: request.origin,
            scheduledFor: delayed ? request.at : nil)
    }

    /// What a backend must be able to read back (``JobLimits``): args and kwargs nesting and
    /// size, timeout, retries and their intervals. Names the field and the limit.
    static func checkLimits(_ request: EnqueueRequest) throws(TockError) {
        if let problem = JobLimits.nestingProblem(.array(request.args), field: "args")
            ?? JobLimits.nestingProblem(.object(request.kwargs), field: "kwargs")
            ?? JobLimits.sizeProblem(args: request.args, kwargs: request.kwargs)
        {
            throw .invalidArgument("job '\(request.name)': \(problem)")
        }
        if let timeout = request.timeout, !(1...JobLimits.maximumSeconds).contains(timeout) {
            throw .invalidArgument("timeout must be from 1 to \(JobLimits.maximumSeconds) seconds (100 years), got \(timeout)")
        }
        if let retry = request.retry {
            guard (0...JobLimits.maximumRetries).contains(retry.max) else {
                throw .invalidArgument("retries must be from 0 to \(JobLimits.maximumRetries), got \(retry.max)")
            }
            if let bad = retry.intervals.first(where: { !(0...JobLimits.maximumSeconds).contains($0) }) {
                throw .invalidArgument("retry intervals must be from 0 to \(JobLimits.maximumSeconds) seconds, got \(bad)")
            }
        }
    }

    /// Enqueues one job; an existing id returns the existing job (`created == false`).
    public func enqueue(_ request: EnqueueRequest, now: Date = Date()) async throws -> EnqueueOutcome {
        let job = try makeJob(request, now: now)
        return try await backend.enqueue([job], maxQueued: configuration.maxQueued)[0]
    }

    /// Enqueues many jobs, all or none.
    public func enqueue(_ requests: [EnqueueRequest], now: Date = Date()) async throws -> [EnqueueOutcome] {
        let jobs = try requests.map { request throws(TockError) in try makeJob(request, now: now) }
        return try await backend.enqueue(jobs, maxQueued: configuration.maxQueued)
    }

    /// Splits `items` into chunks of `chunkSize`, one job each (kwargs `{items: […]}`),
    /// and enqueues them atomically as one batch.
    public func enqueueBatch(
        name: String, items: [JSONValue], chunkSize: Int, queue: String = "default", timeout: Int? = nil,
        onComplete: String? = nil, id: String? = nil, now: Date = Date()
    ) async throws -> Batch {
        guard chunkSize >= 1 else { throw TockError.invalidArgument("chunk size must be at least 1, got \(chunkSize)") }
        guard !items.isEmpty else { throw TockError.invalidArgument("a batch needs at least one item") }
        let batchID = try id.map { text throws(TockError) in try JobID(text) } ?? .random()
        let chunks = stride(from: 0, to: items.count, by: chunkSize).map { Array(items[$0..<min($0 + chunkSize, items.count)]) }
        let jobs = try chunks.enumerated().map { index, chunk throws(TockError) in
            try makeJob(
                EnqueueRequest(
                    name: name, queue: queue, kwargs: ["items": .array(chunk)], id: "\(batchID)-\(index + 1)",
                    timeout: timeout, origin: "batch:\(batchID)"), now: now, batch: batchID.rawValue)
        }
        let batch = Batch(
            id: batchID.rawValue, name: name, queue: queue, total: jobs.count, createdAt: now, onComplete: onComplete,
            onCompleteTimeout: try configuration.queue(queue).timeout)
        try await backend.createBatch(batch, chunks: jobs, maxQueued: configuration.maxQueued)
        return batch
    }
}
