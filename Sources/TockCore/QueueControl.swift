import Foundation

/// Operators' control over whole queues, stored in the backend so that every worker on
/// every host obeys it: pausing, and how long the oldest waiting job has waited.
///
/// A paused queue keeps accepting jobs (``JobQueueBackend/enqueue(_:maxQueued:)`` and
/// the scheduler are unaffected); ``JobQueueBackend/claim(from:worker:now:)`` and
/// complete-then-claim skip it, reading the pause in the same atomic step as the claim.
/// So once ``pauseQueue(_:)`` returns, no worker anywhere takes another job from it —
/// jobs already running go on to their end.
public protocol QueueControl: Sendable {
    /// Pauses `queue` (a name, configured or not). Pausing a paused queue changes nothing.
    ///
    /// - Returns: `false` when it was paused already.
    func pauseQueue(_ queue: String) async throws -> Bool

    /// Lets workers claim from `queue` again and wakes idle ones
    /// (``JobQueueBackend/waitForChange(timeout:)`` returns). Resuming a queue that is
    /// not paused changes nothing.
    ///
    /// - Returns: `false` when it was not paused.
    func resumeQueue(_ queue: String) async throws -> Bool

    /// The names of the paused queues.
    func pausedQueues() async throws -> Set<String>

    /// When the oldest `queued` job of each of `queues` was enqueued (its claim order:
    /// enqueue time, else creation time) — the queue's latency is `now` minus it. Queues
    /// with no queued job are absent. Reads one job per queue (the head of its claim
    /// order), never the whole queue.
    func oldestQueuedAt(in queues: [String]) async throws -> [String: Date]
}
