import Foundation
import Testing
import TockCore
import TockSQLite

@Suite struct WaitForChangeTests {
    private let clock = ContinuousClock()

    @Test func wakesSoonAfterAnotherConnectionEnqueues() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let waiting = try SQLiteBackend(path: directory.file())
        let enqueueing = try SQLiteBackend(path: directory.file())
        let started = clock.now
        async let waited: Void = waiting.waitForChange(timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(100))
        _ = try await enqueueing.enqueue([TestJobs.job("wake")], maxQueued: [:])
        await waited
        #expect(clock.now - started < .seconds(10), "woke by the change, well before the 30 s timeout")
    }

    @Test func timesOutWithoutAChange() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let started = clock.now
        await backend.waitForChange(timeout: .milliseconds(300))
        let waited = clock.now - started
        #expect(waited >= .milliseconds(290))
        #expect(waited < .seconds(5))
    }

    @Test func aChangeBetweenWaitsEndsTheNextWait() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let waiting = try SQLiteBackend(path: directory.file())
        let enqueueing = try SQLiteBackend(path: directory.file())
        await waiting.waitForChange(timeout: .milliseconds(10))  // starts the watch
        _ = try await enqueueing.enqueue([TestJobs.job("between")], maxQueued: [:])
        try await Task.sleep(for: .milliseconds(100))  // the commit lands while nobody waits
        let started = clock.now
        await waiting.waitForChange(timeout: .seconds(30))
        #expect(clock.now - started < .seconds(10), "woke by the change, well before the 30 s timeout")
    }

    @Test func cancellationEndsTheWait() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let started = clock.now
        let task = Task { await backend.waitForChange(timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await task.value
        #expect(clock.now - started < .seconds(5))
    }

    @Test func manyWaitersAllWake() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let waiting = try SQLiteBackend(path: directory.file())
        let enqueueing = try SQLiteBackend(path: directory.file())
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask { await waiting.waitForChange(timeout: .seconds(30)) }
            }
            try await Task.sleep(for: .milliseconds(200))
            _ = try await enqueueing.enqueue([TestJobs.job("wake-all")], maxQueued: [:])
            try await group.waitForAll()
        }
        #expect(clock.now - started < .seconds(10))
    }

    /// Another process (the `sqlite3` shell) writes to the file.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs /usr/bin/sqlite3"))
    func wakesOnACommitByAnotherProcess() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try SQLiteBackend(path: directory.file())
        let started = clock.now
        async let waited: Void = backend.waitForChange(timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(100))
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [directory.file(), "UPDATE workers SET pid = 0 WHERE 0; INSERT INTO workers VALUES ('x', 'h', 1, '[]', 'idle', NULL, 0, 0, 0, 0, 0);"]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        await waited
        #expect(clock.now - started < .seconds(10))
        #expect(try await backend.workers().map(\.name) == ["x"])
    }
}
