import Foundation
import GRDB
import TockCore

/// Opens (or creates) a Tock database file and migrates it, turning every way that can
/// fail into one line: what was wrong and what is accepted.
struct DatabaseOpener {
    var path: String
    var options: SQLiteBackend.Options

    static let accepted = "expected an SQLite database file, or a path in an existing directory where one can be created"

    func open() throws(TockError) -> DatabasePool {
        try checkPath()
        try createPrivately()
        let deadline = ContinuousClock.now.advanced(by: options.busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                // Switching a new file to WAL needs an exclusive lock, and SQLite reports a
                // concurrent opener's lock at once instead of calling the busy handler.
                Thread.sleep(forTimeInterval: .random(in: 0.005...0.020))
            } catch {
                throw failure(error)
            }
        }
    }

    private var configuration: GRDB.Configuration {
        var configuration = GRDB.Configuration()
        configuration.label = "tock"
        let timeout = options.busyTimeout.components
        configuration.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18)
        configuration.journalMode = .wal
        // Commits are not fsynced one by one; see "Durability" on SQLiteBackend.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return configuration
    }

    /// Refuses what SQLite would report badly or not at all: a directory, a file this
    /// user cannot read and write (SQLite would open it read-only and fail later).
    private func checkPath() throws(TockError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
                throw .backendUnavailable(path, detail: "directory \(directory) does not exist; \(Self.accepted)")
            }
            return
        }
        if isDirectory.boolValue {
            throw .backendUnavailable(path, detail: "is a directory; \(Self.accepted)")
        }
        if access(path, R_OK | W_OK) != 0 {
            throw .backendUnavailable(path, detail: "this user cannot read and write it (\(String(cString: strerror(errno)))); \(Self.accepted)")
        }
    }

    /// Creates a missing database file with mode 0600 before SQLite does (it would use
    /// 0644 less the umask): jobs' arguments and results are the application's data.
    /// SQLite gives the `-wal` and `-shm` files the mode of the database file. An
    /// existing file keeps its mode.
    private func createPrivately() throws(TockError) {
        let descriptor = createExclusively(path, mode: 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw .backendUnavailable(path, detail: "cannot be created (\(String(cString: strerror(errno)))); \(Self.accepted)")
        }
    }

    /// Applies the migrations. Two processes opening a new file at once may both try:
    /// each migration is its own transaction, so the loser's attempt at one the winner
    /// applied fails and rolls back — and the winner may still be applying the later
    /// ones. The loser tries again (the applied ones are skipped) until all are done.
    private func migrate(_ pool: DatabasePool) throws {
        let migrator = Schema.migrator
        for attempt in 1... {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) == true { return }
                if attempt >= 50 { throw error }
                Thread.sleep(forTimeInterval: .random(in: 0.005...0.020))
            }
        }
    }

    private func failure(_ error: any Error) -> TockError {
        if let error = error as? TockError { return error }
        guard let error = error as? DatabaseError else {
            return .backendUnavailable(path, detail: "\(error); \(Self.accepted)")
        }
        if error.resultCode == .SQLITE_BUSY {
            return .backendUnavailable(
                path, detail: "another process kept it locked for more than \(options.busyTimeout); try again, or look for a stuck process")
        }
        let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        // A full disk shows as SQLITE_FULL, or as an I/O error when the shared-memory file
        // (tock.db-shm) cannot grow: either way the file is fine, the disk is not.
        if error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR, let directory = fullFileSystem() {
            return .backendUnavailable(
                path, detail: "\(message): no space left on the file system of \(directory); free some and try again")
        }
        return .backendUnavailable(path, detail: "\(message); \(Self.accepted)")
    }

    /// The database's directory, when the file system holding it has no space left.
    private func fullFileSystem() -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        let name = directory.isEmpty ? "." : directory
        var stats = statvfs()
        guard statvfs(name, &stats) == 0, stats.f_bavail == 0 else { return nil }
        return name
    }
}

/// `open(path, O_CREAT | O_EXCL …, mode)` (at file scope: inside ``DatabaseOpener``,
/// `open` names its method).
private func createExclusively(_ path: String, mode: mode_t) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
}
