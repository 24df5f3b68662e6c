import Foundation
import GRDB
import TockCore

extension SQLiteBackend: BulkJobStore {
    /// Requeues the ended jobs `filter` matches, ``TockCore/BulkChunk/size`` per write
    /// transaction; unreadable rows are left as they are.
    public func requeue(matching filter: JobFilter, now: Date) async throws -> Int {
        try await inChunks(filter) { tables, record in
            guard record.problem == nil, record.job.status.isTerminal else { return false }
            _ = try tables.store(record.job.requeued(now: now), replacing: record.job)
            return true
        }
    }

    /// Deletes the jobs `filter` matches but running ones, a chunk per write transaction.
    public func delete(matching filter: JobFilter) async throws -> Int {
        try await inChunks(filter) { tables, record in
            guard record.job.status != .started || record.problem != nil else { return false }
            return try tables.delete(record.job.id)
        }
    }

    /// Walks the listing of `filter` a chunk at a time, each chunk read and acted on in one
    /// write transaction (so a job is acted on as it is then, and other writers wait at
    /// most one chunk). `act` says whether it changed the job.
    private func inChunks(
        _ filter: JobFilter, _ act: @escaping @Sendable (JobTables, JobRecord.Read) throws -> Bool
    ) async throws -> Int {
        var chunk = filter
        chunk.cursor = nil
        chunk.limit = BulkChunk.size
        var count = 0
        while true {
            let current = chunk
            let (acted, next) = try await write { tables -> (Int, JobCursor?) in
                let records = try tables.listedRecords(current)
                var acted = 0
                for record in records where try act(tables, record) { acted += 1 }
                let next = records.count < current.limit ? nil : records.last.map { JobCursor(after: $0.job) }
                return (acted, next)
            }
            count += acted
            guard let next else { return count }
            chunk.cursor = next
        }
    }
}
