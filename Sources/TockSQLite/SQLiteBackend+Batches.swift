import Foundation
import TockCore

extension SQLiteBackend: BatchStore {
    /// Stores the batch and its chunk jobs in one transaction, all or none. A batch whose
    /// id exists is left as it is.
    ///
    /// - Throws: ``TockCore/TockError/queueFull(_:maxQueued:)``, or
    ///   ``TockCore/TockError/invalidArgument(_:)`` when a chunk's id is taken; nothing is
    ///   stored then.
    public func createBatch(_ batch: Batch, chunks: [Job], maxQueued: [String: Int]) async throws {
        try await write { tables in
            guard try tables.batchStatus(batch.id) == nil else { return }
            let outcomes = try tables.enqueue(chunks, maxQueued: maxQueued)
            if outcomes.contains(where: { !$0.created }) {
                // Ids are derived from the batch id; an existing chunk means a clash.
                throw TockError.invalidArgument("batch '\(batch.id)' collides with existing jobs")
            }
            try tables.insertBatch(batch)
        }
    }

    /// The batch with its chunks counted by status, or `nil` if there is none.
    public func batch(_ id: String) async throws -> BatchStatus? {
        try await read { tables in try tables.batchStatus(id) }
    }
}
