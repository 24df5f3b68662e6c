import Foundation
import Testing
import TockCore
@testable import TockSQLite

@Suite struct OpeningTests {
    /// The one-line error `SQLiteBackend(path:)` throws, or `nil` if it opened.
    private func openingError(_ path: String) -> TockError? {
        do {
            _ = try SQLiteBackend(path: path)
            return nil
        } catch let error as TockError {
            return error
        } catch {
            Issue.record("not a TockError: \(error)")
            return nil
        }
    }

    @Test func createsAMissingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try SQLiteBackend(path: directory.file())
        #expect(FileManager.default.fileExists(atPath: directory.file()))
    }

    @Test func aCorruptFileIsRefusedInOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = try #require(openingError(path))
        guard case .backendUnavailable(path, let detail) = error else {
            Issue.record("wrong error \(error)")
            return
        }
        #expect(detail.hasPrefix("file is not a database; expected an SQLite database file"))
        #expect(!error.description.contains("\n"))
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = try #require(openingError(directory.path))
        #expect(error == .backendUnavailable(directory.path, detail: "is a directory; \(DatabaseOpener.accepted)"))
    }

    @Test func aMissingDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/missing/tock.db"
        let error = try #require(openingError(path))
        #expect(error == .backendUnavailable(path, detail: "directory \(directory.path)/missing does not exist; \(DatabaseOpener.accepted)"))
    }

    @Test(.enabled(if: getuid() != 0, "root reads and writes every file"))
    func anUnreadableFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        _ = try SQLiteBackend(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o200], ofItemAtPath: path)
        let error = try #require(openingError(path))
        guard case .backendUnavailable(path, let detail) = error else {
            Issue.record("wrong error \(error)")
            return
        }
        #expect(detail.hasPrefix("this user cannot read and write it"))
    }

    @Test func openingTwiceKeepsTheSchemaAndTheJobs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteBackend(path: directory.file())
        _ = try await first.enqueue([TestJobs.job("kept")], maxQueued: [:])
        let second = try SQLiteBackend(path: directory.file())
        #expect(try await second.job(JobID(unchecked: "kept"))?.name == "app.tasks.work")
        let migrations = try await second.pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.count == Schema.migrator.migrations.count)
    }

    @Test func connectionsOpeningANewFileAtOnceAllSucceed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = try SQLiteBackend(path: path) }
            }
            try await group.waitForAll()
        }
    }

    @Test func walModeAndSynchronousNormal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let (journal, synchronous) = try await backend.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 1)  // NORMAL
    }
}
