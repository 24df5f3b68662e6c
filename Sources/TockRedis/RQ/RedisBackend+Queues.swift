import Foundation
import TockCore

/// Paused queues in the set `tock:queues:paused`, which the claim script reads
/// (``RedisScripts/claim``). Python RQ's own workers do not know it: they go on taking
/// jobs from a paused queue (docs/redis.md).
extension RedisBackend: QueueControl {
    public func pauseQueue(_ queue: String) async throws -> Bool {
        try await send(["SADD", RedisArgument(keys.pausedQueues), RedisArgument(queue)]).integer == 1
    }

    /// Removes the pause, then appends to the signal stream so that idle workers, blocked
    /// on it with the event stream, claim at once (in one round trip, so always: a spare
    /// wake costs each idle worker one empty claim).
    public func resumeQueue(_ queue: String) async throws -> Bool {
        let replies = try await pipeline([
            ["SREM", RedisArgument(keys.pausedQueues), RedisArgument(queue)],
            ["XADD", RedisArgument(keys.queueSignals), "MAXLEN", "~", "100", "*", "resumed", RedisArgument(queue)],
        ])
        return replies.first?.integer == 1
    }

    public func pausedQueues() async throws -> Set<String> {
        Set((try await send(["SMEMBERS", RedisArgument(keys.pausedQueues)]).array ?? []).compactMap(\.string))
    }

    /// The head of each queue's list is the next job claimed: its `enqueued_at`. Ids whose
    /// job is no longer queued (canceled, deleted: the claim drops them lazily) are passed
    /// over, looking at most ``headsRead`` ids deep; a queue whose first ids are all stale
    /// shows no age until a claim clears them.
    public func oldestQueuedAt(in queues: [String]) async throws -> [String: Date] {
        let names = Array(Set(queues)).sorted()
        let heads = try await pipeline(names.map { ["LRANGE", RedisArgument(keys.queue($0)), "0", RedisArgument(Self.headsRead - 1)] })
        let ids = heads.map { ($0.array ?? []).compactMap(\.string) }
        let fields = try await pipeline(
            ids.joined().map { ["HMGET", RedisArgument(keys.job($0)), "status", "enqueued_at", "created_at"] })
        var oldest: [String: Date] = [:]
        var index = 0
        for (name, queueIDs) in zip(names, ids) {
            defer { index += queueIDs.count }
            for offset in queueIDs.indices {
                let values = (fields[index + offset].array ?? []).map(\.string)
                guard values.count == 3, values[0] == "queued", let text = values[1] ?? values[2], let at = RQTime.date(text) else { continue }
                oldest[name] = at
                break
            }
        }
        return oldest
    }

    /// How many ids from a queue's head ``oldestQueuedAt(in:)`` reads.
    static let headsRead = 10
}
