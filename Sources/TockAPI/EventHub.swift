import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TockCore

/// One reader of the backend's event log per API process, for every stream client: clients
/// do not poll the backend each. It sleeps on the backend's change notification (SQLite:
/// the file watch; Redis: the event stream), so an event appended by a worker on any host
/// reaches every subscriber of every API process.
///
/// The hub keeps the newest ``recentCapacity`` events it read, shared by all clients, and
/// wakes its subscribers when it read more. Each client follows the log from its own
/// cursor (an ``EventFeed``): from the shared events while it is within them, from the
/// backend's log when it fell further behind (a slow client, a `Last-Event-ID` from an hour
/// ago). So a slow client never loses events nor holds a buffer of its own; one further
/// behind than the log keeps is told so (``EventFeed/Read/reset(after:resumesAfter:)``).
public final class EventHub: Service, Sendable {
    /// What wakes a subscriber.
    enum Wake: Sendable {
        /// The hub read new events.
        case events
        /// Nothing happened for ``keepAliveInterval``: time for a keep-alive.
        case tick
    }

    struct State {
        /// The newest cursor read; `nil` before the first read.
        var cursor: Int64?
        /// The events after ``recentStart`` up to ``cursor``, oldest first.
        var recent: [SharedEvent] = []
        var recentStart: Int64 = 0
        var subscribers: [UUID: AsyncStream<Wake>.Continuation] = [:]
        var finished = false
    }

    /// How many events the hub keeps for its clients (between this and twice as many).
    let recentCapacity: Int
    /// How long a stream stays silent before a keep-alive (proxies close idle connections).
    let keepAliveInterval: Duration
    let backend: any TockBackend
    let logger: Logger
    private let state = Mutex(State())
    /// Events read since this process started, by queue and type: what `/metrics`
    /// reports as counters (every worker's events, from the shared log).
    private let counts = Mutex<[EventKey: Int]>([:])
    /// Job names by id, for the `name` filter (the log does not carry them; names never change).
    private let names = Mutex<[JobID: String]>([:])
    static let namesKept = 100_000
    /// How long the hub lets events gather after a read that found some.
    static let gatherInterval: Duration = .milliseconds(10)

    struct EventKey: Hashable {
        var queue: String
        var type: String
    }

    var eventCounts: [EventKey: Int] { counts.withLock { $0 } }

    public init(backend: any TockBackend, logger: Logger, recentCapacity: Int = 10_000, keepAliveInterval: Duration = .seconds(15)) {
        self.backend = backend
        self.logger = logger
        self.recentCapacity = max(1, recentCapacity)
        self.keepAliveInterval = keepAliveInterval
    }

    /// Runs `body` with a stream of wake-ups, for as long as it runs. The stream ends when
    /// the hub stops (the server shuts down).
    func withSubscription<Value>(_ body: (AsyncStream<Wake>) async throws -> Value) async rethrows -> Value {
        let id = UUID()
        let (wakes, continuation) = AsyncStream.makeStream(of: Wake.self, bufferingPolicy: .bufferingNewest(1))
        let finished = state.withLock { state in
            if !state.finished { state.subscribers[id] = continuation }
            return state.finished
        }
        if finished { continuation.finish() }
        defer { _ = state.withLock { $0.subscribers.removeValue(forKey: id) } }
        return try await body(wakes)
    }

    /// The cursor a new client without a resume point starts after: the newest event now.
    func currentCursor() async throws -> Int64 {
        if let cursor = state.withLock({ $0.cursor }) { return cursor }
        return try await backend.newestEventCursor()
    }

    /// An event with its SSE frame, encoded once for every client.
    struct SharedEvent: Sendable, Equatable {
        let event: JobEvent
        let frame: ByteBuffer

        init(_ event: JobEvent) {
            self.event = event
            frame = APIRoutes.frame(event)
        }
    }

    /// What the shared events hold for a client at `position`.
    enum Lookup {
        case events([SharedEvent])
        /// Nothing after `position` yet.
        case caughtUp
        /// `position` is older than the shared events: read the backend's log.
        case behind
    }

    func lookup(after position: Int64, limit: Int) -> Lookup {
        state.withLock { state in
            guard let cursor = state.cursor else { return .behind }
            if position >= cursor { return .caughtUp }
            guard position >= state.recentStart else { return .behind }
            let recent = state.recent
            var low = 0
            var high = recent.count
            while low < high {
                let middle = (low + high) / 2
                if recent[middle].event.cursor <= position { low = middle + 1 } else { high = middle }
            }
            return low == recent.count ? .caughtUp : .events(Array(recent[low..<min(recent.count, low + limit)]))
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var lastTick = clock.now
            while !Task.isCancelled {
                await self.readOnce()
                if clock.now - lastTick >= self.keepAliveInterval {
                    lastTick = clock.now
                    self.wakeAll(.tick)
                }
            }
        }
        let subscribers = state.withLock { state in
            state.finished = true
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    func wakeAll(_ wake: Wake) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield(wake) }
    }

    /// Reads what was appended since the last read, keeps it and wakes every subscriber;
    /// with nothing new, sleeps until the backend changes (at most a second).
    func readOnce() async {
        do {
            guard let cursor = state.withLock({ $0.cursor }) else {
                // Start at the log's end: clients replay the past from the log themselves.
                let newest = try await backend.newestEventCursor()
                state.withLock { state in
                    state.cursor = newest
                    state.recentStart = newest
                }
                return
            }
            let events = try await backend.events(after: cursor, limit: 1_000)
            guard let last = events.last else {
                await backend.waitForChange(timeout: .seconds(1))
                return
            }
            let shared = events.map(SharedEvent.init)
            state.withLock { state in
                if events[0].cursor > cursor + 1 {
                    // The hub itself fell behind the log's horizon: clients behind it read the
                    // log, which tells them they missed events.
                    state.recent.removeAll()
                    state.recentStart = events[0].cursor - 1
                }
                state.recent.append(contentsOf: shared)
                if state.recent.count > 2 * recentCapacity {
                    let dropped = state.recent.count - recentCapacity
                    state.recentStart = state.recent[dropped - 1].event.cursor
                    state.recent.removeFirst(dropped)
                }
                state.cursor = last.cursor
            }
            counts.withLock { counts in
                for event in events { counts[EventKey(queue: event.queue, type: JobJSON.type(event)), default: 0] += 1 }
            }
            wakeAll(.events)
            // Under a stream of commits, gather what comes in the next few milliseconds into
            // one read and one write per client: with a thousand clients, the wake-ups and
            // writes per batch, not the bytes, are what the process spends its time on.
            try? await Task.sleep(for: Self.gatherInterval)
        } catch {
            logger.warning("event log unreadable: \(error); retrying in 1 s")
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// The job's name, for the `name` filter: from the job's record, remembered. `nil` when
    /// the record is gone (deleted, or expired after its TTL).
    func name(of job: JobID) async -> String? {
        if let name = names.withLock({ $0[job] }) { return name }
        guard let name = try? await backend.job(job)?.name else { return nil }
        names.withLock { names in
            if names.count >= Self.namesKept { names.removeAll(keepingCapacity: true) }
            names[job] = name
        }
        return name
    }
}

/// One client's place in the event log: where it is, and how to get what comes next.
struct EventFeed: Sendable {
    let hub: EventHub
    /// The cursor of the last event handed out (or skipped over by a reset).
    private(set) var position: Int64

    init(hub: EventHub, after position: Int64) {
        self.hub = hub
        self.position = position
    }

    enum Read: Sendable, Equatable {
        case events([EventHub.SharedEvent])
        /// Events after `after` are no longer in the log: the client should refetch what it
        /// shows; the feed goes on after `resumesAfter`.
        case reset(after: Int64, resumesAfter: Int64)
    }

    /// What follows ``position``: from the hub's shared events, or from the backend's log
    /// when the client is behind them. `nil` when there is nothing new yet.
    mutating func next(limit: Int = 1_000) async throws -> Read? {
        switch hub.lookup(after: position, limit: limit) {
        case .caughtUp:
            return nil
        case .events(let events):
            position = events.last!.event.cursor
            return .events(events)
        case .behind:
            let events = try await hub.backend.events(after: position, limit: limit)
            guard let first = events.first else { return nil }
            if first.cursor > position + 1 {
                let missed = position
                position = first.cursor - 1
                return .reset(after: missed, resumesAfter: position)
            }
            position = events.last!.cursor
            return .events(events.map(EventHub.SharedEvent.init))
        }
    }

    /// A feed that starts after `lastSeen` (a `Last-Event-ID`), or after the newest event
    /// when `nil`. A cursor newer than the log's newest (the log was recreated) is a reset
    /// to the newest.
    static func start(hub: EventHub, after lastSeen: Int64?) async throws -> (feed: EventFeed, reset: Read?) {
        guard let lastSeen else { return (EventFeed(hub: hub, after: try await hub.currentCursor()), nil) }
        let newest = try await hub.backend.newestEventCursor()
        if lastSeen > newest { return (EventFeed(hub: hub, after: newest), .reset(after: lastSeen, resumesAfter: newest)) }
        return (EventFeed(hub: hub, after: lastSeen), nil)
    }
}
