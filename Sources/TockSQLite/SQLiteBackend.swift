import Foundation
import GRDB
import TockCore

/// The embedded backend (`sqlite:PATH`): one SQLite file shared at the same time by the
/// scheduler, many worker processes, the CLI and the API.
///
/// - **Concurrency.** The file is in WAL mode and opened as a GRDB `DatabasePool`
///   (readers never block the writer nor each other). Every operation that reads and
///   then writes — claiming, completing, enqueueing, every operator action — is one
///   `BEGIN IMMEDIATE` transaction: it takes SQLite's write lock before reading, so two
///   connections (in this process or another) never both see a job as queued and both
///   claim it. A connection that finds the lock held waits up to
///   ``Options/busyTimeout`` before the operation fails with
///   ``TockCore/TockError/backendUnavailable(_:detail:)``.
/// - **Durability.** `synchronous = NORMAL`: a commit is not fsynced on its own; the WAL
///   is synced at checkpoints. A crash of a process loses nothing; a power loss or OS
///   crash may lose the last transactions before the last checkpoint (the file stays
///   consistent). This buys the throughput of many small commits (claims, heartbeats).
/// - **Times** are whole microseconds (see ``StoredTime``): every job the backend returns
///   has its times rounded so, and equals the job read back later.
/// - **Waking workers.** ``waitForChange(timeout:)`` watches the file's directory with
///   Linux inotify (see ``ChangeWatcher``): a commit by any process wakes waiting
///   workers within milliseconds, with no polling.
/// - **Retention.** ``purgeExpired(now:)`` deletes ended jobs past their TTL, and events
///   beyond ``Options/eventsKept`` or older than ``Options/eventMaximumAge``.
///
/// Operations are not cancellable once started: a cancelled task's `complete` still
/// records its job (as the memory backend would), so shutdown never strands a job.
public final class SQLiteBackend: Sendable {
    /// Choices for opening a database.
    public struct Options: Sendable, Hashable {
        /// How long an operation waits for another connection's write lock before it
        /// fails. Default 5 s.
        public var busyTimeout: Duration
        /// How many of the newest events ``purgeExpired(now:)`` keeps (the newest one
        /// always, whatever its age: the next cursor follows it). Default 100,000.
        public var eventsKept: Int
        /// Seconds after which ``purgeExpired(now:)`` deletes an event whatever the
        /// count. Default 7 days.
        public var eventMaximumAge: TimeInterval

        /// Options; see the properties for what each means and its default.
        public init(busyTimeout: Duration = .seconds(5), eventsKept: Int = 100_000, eventMaximumAge: TimeInterval = 7 * 24 * 3600) {
            self.busyTimeout = busyTimeout
            self.eventsKept = eventsKept
            self.eventMaximumAge = eventMaximumAge
        }
    }

    /// The database file, as given.
    public let path: String
    /// What it was opened with.
    public let options: Options
    let pool: DatabasePool
    let watcher: ChangeWatcher

    /// Opens the database at `path`, creating the file (not its directory) when missing
    /// and bringing its tables up to date.
    ///
    /// - Parameters:
    ///   - path: The database file.
    ///   - options: See ``Options``.
    /// - Throws: ``TockCore/TockError/backendUnavailable(_:detail:)`` with one line saying
    ///   what was wrong (a directory, a file this user cannot read and write, a file
    ///   that is not an SQLite database, a missing directory) and what is accepted.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        pool = try DatabaseOpener(path: path, options: options).open()
        watcher = ChangeWatcher(databasePath: path)
    }

    deinit {
        watcher.stop()
    }
}
