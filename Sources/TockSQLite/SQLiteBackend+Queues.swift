import Foundation
import TockCore

/// Paused queues in the `paused_queues` table (``Schema/pausedQueues``). A pause or a
/// resume is a commit like any other, so it wakes the idle workers of every process
/// (``ChangeWatcher``): a resumed queue's jobs are picked up at once.
extension SQLiteBackend: QueueControl {
    public func pauseQueue(_ queue: String) async throws -> Bool {
        let now = Date()
        return try await write { tables in try tables.pauseQueue(queue, at: now) }
    }

    public func resumeQueue(_ queue: String) async throws -> Bool {
        try await write { tables in try tables.resumeQueue(queue) }
    }

    public func pausedQueues() async throws -> Set<String> {
        try await read { tables in try tables.pausedQueues() }
    }

    /// One indexed row per queue, in one read snapshot.
    public func oldestQueuedAt(in queues: [String]) async throws -> [String: Date] {
        try await read { tables in
            var oldest: [String: Date] = [:]
            for queue in Set(queues) {
                if let at = try tables.oldestQueued(in: queue) { oldest[queue] = StoredTime.date(at) }
            }
            return oldest
        }
    }
}
