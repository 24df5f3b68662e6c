import Foundation
import TockCore

extension SQLiteBackend: JobEventLog {
    /// Events after `cursor`, oldest first. Cursors are never reused; events older than
    /// the retention (see ``Options``) are gone, so a reader far behind skips them.
    public func events(after cursor: Int64, limit: Int) async throws -> [JobEvent] {
        try await read { tables in try tables.events(after: cursor, limit: limit) }
    }
}
