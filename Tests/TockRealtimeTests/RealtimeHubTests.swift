import Foundation
import Logging
import Testing
import TockCore
import TockSQLite

@testable import TockAPI

/// The API process's event hub and its clients' feeds, in process, on real backends.
@Suite struct RealtimeHubTests {
    static func job(_ id: String, name: String = "app.work") -> Job {
        Job(
            id: JobID(unchecked: id), name: name, args: [], kwargs: [:], queue: "default", timeout: 300, status: .queued,
            createdAt: Date(), enqueuedAt: Date(), retriesLeft: 0, retryIntervals: [], batch: nil, origin: "test", scheduledFor: nil)
    }

    /// Everything a feed reads from `position` until it is caught up.
    static func drain(_ feed: inout EventFeed) async throws -> [EventFeed.Read] {
        var reads: [EventFeed.Read] = []
        while let read = try await feed.next(limit: 7) { reads.append(read) }
        return reads
    }

    /// A client far behind the hub's shared events (a slow one, or one resuming from long
    /// ago) reads the rest from the log: every event once, in order. (The hub used to buffer
    /// 10,000 events per client and drop the oldest silently.)
    @Test func aClientBehindTheSharedEventsReadsTheLogAndLosesNothing() async throws {
        let backend = MemoryBackend()
        let hub = EventHub(backend: backend, logger: Logger(label: "test"), recentCapacity: 10)
        await hub.readOnce()  // starts at the log's end: 0
        var feed = EventFeed(hub: hub, after: 0)
        for index in 0..<100 { _ = try await backend.enqueue([Self.job("j\(index)")], maxQueued: [:]) }
        await hub.readOnce()
        guard case .behind = hub.lookup(after: 0, limit: 1) else {
            Issue.record("the hub should keep only its newest events")
            return
        }
        var cursors: [Int64] = []
        for read in try await Self.drain(&feed) {
            guard case .events(let events) = read else {
                Issue.record("unexpected \(read)")
                continue
            }
            cursors += events.map(\.event.cursor)
        }
        #expect(cursors == Array(1...100))
        #expect(feed.position == 100)
    }

    /// Events pruned from the log before a client read them: a reset saying so, then the rest.
    @Test func aClientPastTheLogsHorizonIsReset() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = try SQLiteBackend(path: path, options: .init(eventsKept: 4))
        let hub = EventHub(backend: backend, logger: Logger(label: "test"), recentCapacity: 10)
        for index in 0..<10 { _ = try await backend.enqueue([Self.job("j\(index)")], maxQueued: [:]) }
        _ = try await backend.purgeExpired(now: Date())
        var (feed, reset) = try await EventFeed.start(hub: hub, after: 2)
        #expect(reset == nil)
        let reads = try await Self.drain(&feed)
        guard case .reset(let after, let resumesAfter) = reads.first else {
            Issue.record("no reset: \(reads)")
            return
        }
        #expect(after == 2 && resumesAfter == 6)
        guard case .events(let events) = reads.dropFirst().first else {
            Issue.record("no events after the reset: \(reads)")
            return
        }
        #expect(events.map(\.event.cursor) == [7, 8, 9, 10])
        // An id newer than the log (it was recreated): reset to its newest.
        let (_, future) = try await EventFeed.start(hub: hub, after: 500)
        guard case .reset(500, 10) = future else {
            Issue.record("no reset for an id past the log's newest: \(String(describing: future))")
            return
        }
    }

    /// The `name` filter resolves the job's name (the log does not carry it).
    @Test func theNameFilterMatchesTheJobsName() async throws {
        let backend = MemoryBackend()
        let hub = EventHub(backend: backend, logger: Logger(label: "test"))
        _ = try await backend.enqueue([Self.job("a", name: "reports.build"), Self.job("b", name: "mail.send")], maxQueued: [:])
        var filter = StreamFilter()
        filter.name = "mail.send"
        let events = await backend.events(after: 0, limit: 10)
        var matched: [String] = []
        for event in events {
            if await filter.matches(event, hub: hub) { matched.append(event.job.rawValue) }
        }
        #expect(matched == ["b"])
        #expect(throws: Problem.self) { try StreamFilter(json: ["types": .array([.string("finished"), .string("exploded")])]) }
        #expect(throws: Problem.self) { try StreamFilter(json: ["colour": .string("red")]) }
    }
}
