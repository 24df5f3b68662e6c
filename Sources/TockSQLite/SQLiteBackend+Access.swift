import Foundation
import GRDB
import TockCore

extension SQLiteBackend {
    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on the pool's writer: SQLite's
    /// write lock is held from before the first read until the commit, across processes.
    /// Rolls back when `body` throws. Runs to the end even if the calling task is
    /// cancelled (it never throws `CancellationError`).
    func write<T: Sendable>(_ body: @escaping @Sendable (JobTables) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.asyncWriteWithoutTransaction { db in
                do {
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try body(JobTables(db: db))
                        return .commit
                    }
                    continuation.resume(returning: result!)
                } catch {
                    continuation.resume(throwing: self.reported(error))
                }
            }
        }
    }

    /// Runs `body` in a read transaction (a consistent snapshot) on one of the pool's
    /// readers; it never waits for writers.
    func read<T: Sendable>(_ body: @escaping @Sendable (JobTables) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.asyncRead { access in
                do {
                    continuation.resume(returning: try body(JobTables(db: try access.get())))
                } catch {
                    continuation.resume(throwing: self.reported(error))
                }
            }
        }
    }

    /// Tock's errors as they are; database failures and unreadable rows as
    /// ``TockCore/TockError/backendUnavailable(_:detail:)`` naming this file.
    private func reported(_ error: any Error) -> any Error {
        switch error {
        case let error as DatabaseError where error.resultCode == .SQLITE_BUSY:
            TockError.backendUnavailable(
                path, detail: "another connection held the write lock longer than \(options.busyTimeout) (\(error.message ?? "locked"))")
        case let error as DatabaseError:
            TockError.backendUnavailable(path, detail: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        case let error as StoredValueError:
            TockError.backendUnavailable(path, detail: error.description)
        default:
            error
        }
    }
}
