import Foundation
import GRDB

extension JobTables {
    /// The paused queues' names (a table of a few rows).
    func pausedQueues() throws -> Set<String> {
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT queue FROM paused_queues")))
    }

    /// Adds `queue` to the paused ones; `false` when it was there.
    func pauseQueue(_ queue: String, at now: Date) throws -> Bool {
        try db.cachedStatement(sql: "INSERT INTO paused_queues (queue, paused_at) VALUES (?, ?) ON CONFLICT (queue) DO NOTHING")
            .execute(arguments: [queue, StoredTime.microseconds(now)])
        return db.changesCount > 0
    }

    /// Removes `queue` from the paused ones; `false` when it was not there.
    func resumeQueue(_ queue: String) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM paused_queues WHERE queue = ?").execute(arguments: [queue])
        return db.changesCount > 0
    }

    /// The claim-order key of `queue`'s first queued job, read from the head of the
    /// `jobs_claim` index (one row, however long the queue).
    func oldestQueued(in queue: String) throws -> Int64? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT COALESCE(enqueued_at, created_at) FROM jobs WHERE status = 'queued' AND queue = ?
                ORDER BY COALESCE(enqueued_at, created_at), id LIMIT 1
                """)
        return try Int64.fetchOne(statement, arguments: [queue])
    }
}
