import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TockCore

/// One reader of the backend's event log per API process, fanning out to every stream
/// client: clients do not poll the backend each. It sleeps on the backend's change
/// notification (SQLite: the file watch; Redis: the event stream), so an event appended
/// by a worker on any host reaches every subscriber of every API process.
public final class EventHub: Service, Sendable {
    struct Subscriber {
        let continuation: AsyncStream<JobEvent>.Continuation
    }

    let backend: any TockBackend
    let logger: Logger
    private let state = Mutex<(cursor: Int64?, subscribers: [UUID: Subscriber])>((nil, [:]))
    /// Events read since this process started, by queue and type: what `/metrics`
    /// reports as counters (every worker's events, from the shared log).
    private let counts = Mutex<[EventKey: Int]>([:])

    struct EventKey: Hashable {
        var queue: String
        var type: String
    }

    var eventCounts: [EventKey: Int] { counts.withLock { $0 } }

    public init(backend: any TockBackend, logger: Logger) {
        self.backend = backend
        self.logger = logger
    }

    /// The events appended from now on, until the returned stream is dropped.
    func subscribe() -> AsyncStream<JobEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) } }
        state.withLock { $0.subscribers[id] = Subscriber(continuation: continuation) }
        return stream
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.readOnce()
            }
        }
        let subscribers = state.withLock { $0.subscribers.values }
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// Reads what was appended since the last read and hands it to every subscriber; with
    /// nothing new, sleeps until the backend changes (at most a second).
    func readOnce() async {
        do {
            guard let cursor = state.withLock({ $0.cursor }) else {
                // Start at the log's end: streams replay the past themselves (Last-Event-ID).
                let last = try await Self.lastCursor(backend)
                state.withLock { $0.cursor = last }
                return
            }
            let events = try await backend.events(after: cursor, limit: 1_000)
            guard let last = events.last else {
                await backend.waitForChange(timeout: .seconds(1))
                return
            }
            let subscribers = state.withLock { state in
                state.cursor = last.cursor
                return Array(state.subscribers.values)
            }
            counts.withLock { counts in
                for event in events { counts[EventKey(queue: event.queue, type: JobJSON.type(event)), default: 0] += 1 }
            }
            for subscriber in subscribers {
                for event in events { subscriber.continuation.yield(event) }
            }
        } catch {
            logger.warning("event log unreadable: \(error); retrying in 1 s")
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// The newest cursor in the log (0 when it is empty).
    static func lastCursor(_ backend: any TockBackend) async throws -> Int64 {
        var cursor: Int64 = 0
        while true {
            let events = try await backend.events(after: cursor, limit: 10_000)
            guard let last = events.last else { return cursor }
            cursor = last.cursor
        }
    }
}
