import Foundation
import TockValues

/// What a batch may hold, for the API and the CLI.
public enum BatchLimits {
    /// Items in one batch.
    public static let maximumItems = 1_000_000
    /// Items per chunk job.
    public static let maximumChunkSize = 10_000
    /// Bytes of one NDJSON line (one item).
    public static let maximumLineBytes = JobLimits.maximumArgumentBytes
}

/// A batch received one item at a time, so that no process holds all its items: items
/// fill chunks of `chunkSize`; full chunks are stored (`deferred`) a thousand items or a hundred chunks at a time;
/// ``seal()`` queues them all at once. Until then no chunk runs: a writer that is
/// abandoned (``discard()``, or a process that dies) never runs half a batch.
///
/// ```swift
/// switch try await client.openBatch(name: "app.post_invoices", chunkSize: 100) {
/// case .existing(let status): return status  // same id again: nothing new
/// case .opened(var writer):
///     for item in items { try await writer.add(item) }
///     return try await writer.seal()
/// }
/// ```
public struct BatchWriter: Sendable {
    public let client: JobClient
    /// The batch as opened (unsealed, total 0).
    public let batch: Batch
    let chunkSize: Int
    let timeout: Int?
    let now: Date
    var chunk: [JSONValue] = []
    var ready: [Job] = []
    var readyItems = 0
    /// Items added so far.
    public private(set) var itemCount = 0
    var chunkCount = 0

    /// Chunks and items kept before they are stored, whichever fills first.
    static let flushChunks = 100
    static let flushItems = 1_000

    /// Adds one item; stores the chunks that filled when enough have.
    /// - Throws: ``TockError/invalidArgument(_:)`` past ``BatchLimits/maximumItems``, or when
    ///   a chunk exceeds the job limits; the caller then discards the batch.
    public mutating func add(_ item: JSONValue) async throws {
        guard itemCount < BatchLimits.maximumItems else {
            throw TockError.invalidArgument("items: a batch holds at most \(BatchLimits.maximumItems) items")
        }
        itemCount += 1
        chunk.append(item)
        if chunk.count == chunkSize { try closeChunk() }
        if ready.count >= Self.flushChunks || readyItems >= Self.flushItems { try await flush() }
    }

    /// Stores the last chunks and seals the batch: every chunk is queued at once.
    /// - Returns: The batch with its chunks counted.
    /// - Throws: ``TockError/invalidArgument(_:)`` for a batch without items,
    ///   ``TockError/queueFull(_:maxQueued:)``; the caller then discards the batch.
    public mutating func seal() async throws -> BatchStatus {
        guard itemCount > 0 else { throw TockError.invalidArgument("items: a batch needs at least one item") }
        if !chunk.isEmpty { try closeChunk() }
        try await flush()
        _ = try await client.backend.sealBatch(batch.id, maxQueued: client.configuration.maxQueued, now: Date())
        guard let status = try await client.backend.batch(batch.id) else {
            throw TockError.invalidArgument("batch '\(batch.id)' vanished while being sealed")
        }
        return status
    }

    /// Deletes the unsealed batch and what was stored of it. Errors are returned, not
    /// thrown: the caller is already reporting the error that made it discard.
    @discardableResult
    public func discard() async -> (any Error)? {
        do {
            _ = try await client.backend.discardBatch(batch.id)
            return nil
        } catch {
            return error
        }
    }

    private mutating func closeChunk() throws {
        chunkCount += 1
        let first = itemCount - chunk.count
        var job: Job
        do {
            job = try client.makeJob(
                EnqueueRequest(
                    name: batch.name, queue: batch.queue, kwargs: ["items": .array(chunk)], id: "\(batch.id)-\(chunkCount)",
                    timeout: timeout, origin: "batch:\(batch.id)"), now: now, batch: batch.id)
        } catch {
            throw TockError.invalidArgument("items: chunk \(chunkCount) (items[\(first)]…items[\(itemCount - 1)]): \(error)")
        }
        job.status = .deferred
        job.enqueuedAt = nil
        readyItems += chunk.count
        ready.append(job)
        chunk.removeAll(keepingCapacity: true)
    }

    private mutating func flush() async throws {
        guard !ready.isEmpty else { return }
        try await client.backend.appendChunks(ready, toBatch: batch.id)
        ready.removeAll(keepingCapacity: true)
        readyItems = 0
    }
}

extension JobClient {
    /// What ``openBatch(name:chunkSize:queue:timeout:onComplete:id:now:)`` found.
    public enum BatchOpening: Sendable {
        /// A new batch, to fill and seal.
        case opened(BatchWriter)
        /// A batch with that id exists (sealed, or still being received): nothing was opened.
        case existing(BatchStatus)
    }

    /// Opens a streamed batch: checks the name, queue and chunk size, and stores the batch
    /// unsealed (see ``BatchWriter``).
    public func openBatch(
        name: String, chunkSize: Int, queue: String = "default", timeout: Int? = nil, onComplete: String? = nil,
        id: String? = nil, now: Date = Date()
    ) async throws -> BatchOpening {
        if let problem = JobLimits.nameProblem(name) { throw TockError.invalidArgument(problem) }
        guard (1...BatchLimits.maximumChunkSize).contains(chunkSize) else {
            throw TockError.invalidArgument("chunk_size must be from 1 to \(BatchLimits.maximumChunkSize), got \(chunkSize)")
        }
        if let onComplete, let problem = JobLimits.nameProblem(onComplete) {
            throw TockError.invalidArgument("on_complete: \(problem)")
        }
        let queue = try configuration.queue(queue)
        let batchID = try id.map { text throws(TockError) in try JobID(text) } ?? .random()
        let batch = Batch(
            id: batchID.rawValue, name: name, queue: queue.name, total: 0, createdAt: now, onComplete: onComplete,
            onCompleteTimeout: queue.timeout, sealed: false)
        if let existing = try await backend.openBatch(batch) { return .existing(existing) }
        return .opened(BatchWriter(client: self, batch: batch, chunkSize: chunkSize, timeout: timeout, now: now))
    }
}
