import Foundation
import GRDB
import TockCore

/// Streamed batches (see ``TockCore/BatchStore/openBatch(_:)``): each call one transaction;
/// the seal queues every chunk in the same transaction that marks the batch sealed.
extension SQLiteBackend {
    public func openBatch(_ batch: Batch) async throws -> BatchStatus? {
        try await write { tables in
            if let existing = try tables.batchStatus(batch.id) { return existing }
            var open = batch
            open.sealed = false
            open.total = 0
            try tables.insertBatch(open)
            return nil
        }
    }

    public func appendChunks(_ chunks: [Job], toBatch id: String) async throws {
        try await write { tables in
            // The record alone: counting the chunks at every append would make a batch's
            // appends quadratic in its size.
            guard let batch = try tables.batchRecord(id) else { throw TockError.invalidArgument("no open batch '\(id)'") }
            if let problem = batch.appendProblem(chunks) { throw TockError.invalidArgument(problem) }
            for chunk in chunks where try tables.insert(chunk) == nil {
                throw TockError.invalidArgument("batch '\(id)' collides with existing job '\(chunk.id)'; choose another batch id")
            }
        }
    }

    public func sealBatch(_ id: String, maxQueued: [String: Int], now: Date) async throws -> Batch {
        try await write { tables in
            guard let status = try tables.batchStatus(id) else { throw TockError.invalidArgument("no open batch '\(id)'") }
            if status.batch.sealed { return status.batch }
            try tables.releaseChunks(of: id, now: now, maxQueued: maxQueued)
            let total = status.counts.values.reduce(0, +)
            try tables.db.cachedStatement(sql: "UPDATE batches SET sealed = 1, total = ? WHERE id = ?").execute(arguments: [total, id])
            // Chunks canceled while they waited may have ended the batch already.
            guard let sealed = try tables.batchStatus(id) else { throw TockError.invalidArgument("batch '\(id)' vanished") }
            return try tables.endBatchIfEnded(sealed, now: now)
        }
    }

    public func discardBatch(_ id: String) async throws -> Bool {
        try await write { tables in
            guard let status = try tables.batchStatus(id), !status.batch.sealed else { return false }
            try tables.db.cachedStatement(sql: "DELETE FROM jobs WHERE batch = ?").execute(arguments: [id])
            try tables.db.cachedStatement(sql: "DELETE FROM batches WHERE id = ?").execute(arguments: [id])
            return true
        }
    }
}

extension JobTables {
    /// Queues the batch's `deferred` chunks and logs their events, in two statements: a
    /// batch may have 100,000 chunks of 1 MiB each, too many to read into memory. The
    /// change is ``TockCore/Job/releasedFromBatch(now:)`` (status and `enqueued_at` only)
    /// for every row alike; the `job_counts` triggers follow it.
    func releaseChunks(of id: String, now: Date, maxQueued: [String: Int]) throws {
        let at = MicrosecondTime.microseconds(now)
        try db.cachedStatement(
            sql: """
                INSERT INTO events (job, queue, status, progress, batch, at)
                SELECT id, queue, 'queued', progress, batch, ? FROM jobs
                WHERE batch = ? AND status = 'deferred' ORDER BY rowid
                """
        ).execute(arguments: [at, id])
        try db.cachedStatement(sql: "UPDATE jobs SET status = 'queued', enqueued_at = ? WHERE batch = ? AND status = 'deferred'")
            .execute(arguments: [at, id])
        let queues = try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT queue FROM jobs WHERE batch = ?"), arguments: [id])
        for queue in queues {
            if let maximum = maxQueued[queue], try queuedCount(queue) > maximum {
                throw TockError.queueFull(queue, maxQueued: maximum)
            }
        }
    }

    /// Marks a sealed batch whose chunks have all ended as ended, enqueueing its
    /// `onComplete` job; returns the batch as it now is.
    func endBatchIfEnded(_ status: BatchStatus, now: Date) throws -> Batch {
        guard let (ended, onComplete) = status.ending(now: now) else { return status.batch }
        try db.cachedStatement(sql: "UPDATE batches SET completed_at = ? WHERE id = ?")
            .execute(arguments: [ended.completedAt.map(StoredTime.microseconds), ended.id])
        if let onComplete { _ = try insert(onComplete) }
        return ended
    }
}
