import Foundation
import GRDB
import TockCore

extension SQLiteBackend: JobEventLog {
    /// Events after `cursor`, oldest first. Cursors are never reused; events older than
    /// the retention (see ``Options``) are gone, so a reader far behind skips them.
    public func events(after cursor: Int64, limit: Int) async throws -> [JobEvent] {
        try await read { tables in try tables.events(after: cursor, limit: limit) }
    }

    /// `MAX(cursor)`: pruning never deletes the newest event, so it is the newest ever logged.
    public func newestEventCursor() async throws -> Int64 {
        try await read { tables in try Int64.fetchOne(tables.db.cachedStatement(sql: "SELECT MAX(cursor) FROM events")) ?? 0 }
    }
}
