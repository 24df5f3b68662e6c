import Foundation
import Synchronization

/// What ``SQLiteBackend/waitForChange(timeout:)`` waits on: commits to the database by
/// any process, seen through a ``DirectoryWatch`` (Linux inotify).
///
/// One thread of its own per backend, started at the first wait, blocks in `poll(2)` on
/// the inotify descriptor with the nearest waiter's deadline as timeout — so an idle
/// worker costs no CPU and no thread of Swift's cooperative pool. When the database's
/// file or WAL is written, the thread resumes every waiting task; when a deadline
/// passes, that waiter. Cancelling a waiting task resumes it at once.
///
/// A change seen while no task waits is remembered and ends the next wait at once, so a
/// commit landing between a worker's empty claim and its wait is not slept through (at
/// the price of, now and then, one claim that finds nothing — a worker's own commits
/// count as changes too).
///
/// The inotify event comes when a commit's last WAL frame is written, a moment before
/// SQLite publishes the commit to readers. A woken worker's claim is a write transaction:
/// it waits for the committing connection's write lock, released after publication, so
/// it sees the new job.
///
/// Where inotify is unavailable (not Linux, or the system's watch limit is reached) a
/// wait sleeps for its whole timeout.
final class ChangeWatcher: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var deadline: ContinuousClock.Instant
    }

    private struct State {
        /// `nil` until the first wait; then whether inotify works.
        var watch: DirectoryWatch??
        var waiters: [UInt64: Waiter] = [:]
        /// Waits cancelled before they registered.
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        /// A change was seen while nobody waited.
        var changedUnseen = false
        /// The deadline the thread's current poll ends at (`nil`: none).
        var pollDeadline: ContinuousClock.Instant?
        var stopping = false
    }

    private let databasePath: String
    private let state = Mutex(State())

    init(databasePath: String) {
        self.databasePath = databasePath
    }

    /// Returns when the database changes, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        guard let watch = startedWatch() else {
            try? await Task.sleep(for: timeout)
            return
        }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let deadline = ContinuousClock.now.advanced(by: max(.zero, timeout))
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (resumeNow, nudge) = state.withLock { state -> (Bool, Bool) in
                    if state.cancelled.contains(id) || state.stopping { return (true, false) }
                    if state.changedUnseen {
                        state.changedUnseen = false
                        return (true, false)
                    }
                    state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
                    return (false, state.pollDeadline.map { deadline < $0 } ?? true)
                }
                if resumeNow { continuation.resume() } else if nudge { watch.interrupt() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.continuation.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Ends the thread (resuming every waiter); later waits sleep their timeout.
    func stop() {
        let (watch, waiters) = state.withLock { state in
            state.stopping = true
            defer { state.waiters.removeAll() }
            return (state.watch ?? nil, Array(state.waiters.values))
        }
        watch?.interrupt()
        for waiter in waiters { waiter.continuation.resume() }
    }

    /// The watch, starting it and its thread at the first call; `nil` without inotify.
    private func startedWatch() -> DirectoryWatch? {
        let (watch, isNew) = state.withLock { state -> (DirectoryWatch?, Bool) in
            if let watch = state.watch { return (watch, false) }
            if state.stopping { return (nil, false) }
            let watch = DirectoryWatch(databasePath: databasePath)
            state.watch = .some(watch)
            return (watch, true)
        }
        if let watch, isNew {
            let thread = Thread { [self] in run(watch) }
            thread.name = "tock-sqlite-watch"
            thread.start()
        }
        return watch
    }

    /// The thread's loop: poll until the nearest deadline, resume whom it concerns.
    private func run(_ watch: DirectoryWatch) {
        while true {
            let timeout = state.withLock { state -> Int32? in
                if state.stopping { return nil }
                state.pollDeadline = state.waiters.values.map(\.deadline).min()
                return state.pollDeadline.map { Self.milliseconds(until: $0) } ?? -1
            }
            guard let timeout else { break }
            let changed = watch.poll(timeoutMilliseconds: timeout)
            let now = ContinuousClock.now
            let due = state.withLock { state -> [Waiter] in
                if changed, state.waiters.isEmpty { state.changedUnseen = true }
                let ids = state.waiters.filter { changed || $0.value.deadline <= now }.map(\.key)
                return ids.compactMap { state.waiters.removeValue(forKey: $0) }
            }
            for waiter in due { waiter.continuation.resume() }
        }
        watch.closeDescriptors()
    }

    /// Whole milliseconds until `deadline`, rounded up (so a poll never ends just before
    /// it), clamped to what `poll` takes.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline).components
        guard remaining.seconds >= 0 else { return 0 }
        let milliseconds = remaining.seconds * 1000 + (remaining.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
