import Foundation

/// One queue as `tock queues` and `GET /api/v1/queues` show it: its configuration, its
/// jobs per status, whether it is paused, and how long its oldest queued job has waited.
public struct QueueOverview: Sendable, Hashable {
    public var name: String
    /// `nil` for a queue that holds jobs or is paused but is not configured (any more).
    public var configuration: Configuration.Queue?
    public var counts: [JobStatus: Int]
    public var paused: Bool
    /// When the job a worker would claim next was enqueued; `nil` with none queued.
    public var oldestQueuedAt: Date?

    public init(name: String, configuration: Configuration.Queue?, counts: [JobStatus: Int], paused: Bool, oldestQueuedAt: Date?) {
        self.name = name
        self.configuration = configuration
        self.counts = counts
        self.paused = paused
        self.oldestQueuedAt = oldestQueuedAt
    }

    /// Seconds the oldest queued job has waited at `now` (never negative: clocks of
    /// other hosts may run ahead); `nil` with none queued.
    public func latency(at now: Date) -> TimeInterval? {
        oldestQueuedAt.map { max(0, now.timeIntervalSince($0)) }
    }
}

extension JobClient {
    /// Every configured queue, in the configuration's order, then any other queue that
    /// holds jobs or is paused, by name. Four reads of the backend, none of which walks
    /// a queue's jobs.
    public func queueOverviews() async throws -> [QueueOverview] {
        let counts = try await backend.queueCounts()
        let paused = try await backend.pausedQueues()
        let configured = configuration.queues.map(\.name)
        let others = Set(counts.keys).union(paused).subtracting(configured).sorted()
        let names = configured + others
        let oldest = try await backend.oldestQueuedAt(in: names.filter { (counts[$0]?[.queued] ?? 0) > 0 })
        return names.map { name in
            QueueOverview(
                name: name, configuration: configuration.queues.first { $0.name == name }, counts: counts[name] ?? [:],
                paused: paused.contains(name), oldestQueuedAt: oldest[name])
        }
    }

    /// The overview of the queue `name`, configured or not.
    public func queueOverview(_ name: String) async throws -> QueueOverview {
        let counts = try await backend.queueCounts()[name] ?? [:]
        let paused = try await backend.pausedQueues().contains(name)
        let oldest = (counts[.queued] ?? 0) > 0 ? try await backend.oldestQueuedAt(in: [name])[name] : nil
        return QueueOverview(
            name: name, configuration: configuration.queues.first { $0.name == name }, counts: counts, paused: paused, oldestQueuedAt: oldest)
    }
}

extension JobClient {
    /// Pauses the configured queue `name`; see ``QueueControl/pauseQueue(_:)``.
    ///
    /// - Returns: `false` when it was paused already.
    /// - Throws: ``TockError/unknownQueue(_:known:)`` for a name not in the configuration.
    public func pauseQueue(_ name: String) async throws -> Bool {
        guard configuration.queues.contains(where: { $0.name == name }) else {
            throw TockError.unknownQueue(name, known: configuration.queues.map(\.name))
        }
        return try await backend.pauseQueue(name)
    }

    /// Resumes the queue `name`: a configured one, or one still paused that the
    /// configuration no longer lists (so that its pause can be lifted).
    ///
    /// - Returns: `false` when it was not paused.
    /// - Throws: ``TockError/unknownQueue(_:known:)`` for any other name.
    public func resumeQueue(_ name: String) async throws -> Bool {
        let known = configuration.queues.contains { $0.name == name } ? true : try await backend.pausedQueues().contains(name)
        guard known else {
            throw TockError.unknownQueue(name, known: configuration.queues.map(\.name))
        }
        return try await backend.resumeQueue(name)
    }
}
