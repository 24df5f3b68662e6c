import Foundation
import Testing
import TockCore
import TockRedis
import TockTestSupport

/// An idle worker's wait ends on a resume (the signal stream) and on an enqueue (the event
/// stream), read by the same `XREAD` — not at the end of its poll interval, which is
/// made longer than the test here so that only the wake can end the wait.
@Suite struct RedisQueueSignalTests {
    @Test(.enabled(if: RedisServer.isInstalled), arguments: ["resume", "enqueue"])
    func waitEndsAtOnce(_ change: String) async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let backend = try await RedisBackend.connect(url: server.url(), options: RedisBackend.Options(pollInterval: .seconds(30)))
        _ = try await backend.pauseQueue("default")
        // Entries written before the wait started are not what wakes it.
        _ = try await backend.enqueue([Self.job("before")], maxQueued: [:])
        for round in 0..<2 {
            let clock = ContinuousClock()
            let started = clock.now
            async let waited: Void = backend.waitForChange(timeout: .seconds(20))
            try await Task.sleep(for: .milliseconds(300))
            if change == "resume" {
                _ = try await backend.resumeQueue("default")
                _ = try await backend.pauseQueue("default")
            } else {
                _ = try await backend.enqueue([Self.job("j\(round)")], maxQueued: [:])
            }
            await waited
            let took = clock.now - started
            #expect(took >= .milliseconds(250), "round \(round): the wait ended before the \(change)")
            #expect(took < .seconds(5), "round \(round): the wait did not end on the \(change)")
        }
    }

    static func job(_ id: String) -> Job {
        Job(id: JobID(unchecked: id), name: "app.work", queue: "default", timeout: 60, createdAt: Date(), enqueuedAt: Date(), origin: "test")
    }
}
