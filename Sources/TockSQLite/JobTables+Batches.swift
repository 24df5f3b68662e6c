import Foundation
import GRDB
import TockCore

extension JobTables {
    /// The batch's record, if it exists (its chunks not counted).
    func batchRecord(_ id: String) throws -> Batch? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT id, name, queue, total, created_at, on_complete, on_complete_timeout, completed_at, sealed
                FROM batches WHERE id = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let completedAt: Int64? = row[7]
        return Batch(
            id: row[0], name: row[1], queue: row[2], total: row[3], createdAt: StoredTime.date(row[4]),
            onComplete: row[5], onCompleteTimeout: row[6], completedAt: completedAt.map(StoredTime.date), sealed: row[8])
    }

    /// The batch with its chunks counted by status, if it exists.
    func batchStatus(_ id: String) throws -> BatchStatus? {
        guard let batch = try batchRecord(id) else { return nil }
        var counts: [JobStatus: Int] = [:]
        let counting = try db.cachedStatement(
            sql: "SELECT status, COUNT(*) FROM jobs WHERE batch = ? GROUP BY status")
        for row in try Row.fetchAll(counting, arguments: [id]) {
            let statusText: String = row[0]
            guard let status = JobStatus(rawValue: statusText) else {
                throw StoredValueError(row: "a job of batch '\(id)'", column: "status", detail: "unknown status '\(statusText)'")
            }
            counts[status] = row[1]
        }
        return BatchStatus(batch: batch, counts: counts)
    }

    /// Stores a new batch's record.
    func insertBatch(_ batch: Batch) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO batches (id, name, queue, total, created_at, on_complete, on_complete_timeout, completed_at, sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            batch.id, batch.name, batch.queue, batch.total, StoredTime.microseconds(batch.createdAt), batch.onComplete,
            batch.onCompleteTimeout, batch.completedAt.map(StoredTime.microseconds), batch.sealed,
        ])
    }

    /// When `job` just ended and was its batch's last chunk to end: marks the batch
    /// ended and enqueues its `onComplete` job once (see ``TockCore/BatchStatus/ending(now:)``).
    func endBatchIfDone(_ job: Job, now: Date) throws {
        guard job.status.isTerminal, let id = job.batch, let status = try batchStatus(id),
            let (ended, onComplete) = status.ending(now: now)
        else { return }
        try db.cachedStatement(sql: "UPDATE batches SET completed_at = ? WHERE id = ?")
            .execute(arguments: [ended.completedAt.map(StoredTime.microseconds), id])
        if let onComplete { _ = try insert(onComplete) }
    }
}
