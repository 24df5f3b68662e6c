import Foundation

/// Wakes idle workers when a job event is appended to the stream, or a signal to the
/// signal stream (a resumed queue): one `XREAD BLOCK` at a time on a connection of its
/// own, however many tasks wait, each woken when it returns with an entry newer than the
/// last one seen.
actor RedisEventWaiter {
    private let connection: RedisConnection
    private let stream: String
    private let signals: String
    private let pollInterval: Duration
    /// The id of the newest event seen; nil until the stream was first looked at.
    private var lastID: String?
    /// The id of the newest signal seen.
    private var lastSignalID = "0-0"
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var resumedEarly: Set<UUID> = []
    private var reading = false

    init(connection: RedisConnection, stream: String, signals: String, pollInterval: Duration) {
        self.connection = connection
        self.stream = stream
        self.signals = signals
        self.pollInterval = pollInterval
    }

    /// Returns at the next event, or after `timeout` (at most the poll interval).
    func wait(timeout: Duration) async {
        if lastID == nil { await readLastID() }
        let id = UUID()
        let limit = min(timeout, pollInterval)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.park(id); return true }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            if await group.next() == false { resume(id) }
            group.cancelAll()
        }
        resumedEarly.remove(id)
    }

    private func park(_ id: UUID) async {
        await withCheckedContinuation { continuation in
            if resumedEarly.contains(id) {
                continuation.resume()
            } else {
                waiters[id] = continuation
                if !reading { Task { await self.readLoop() } }
            }
        }
    }

    private func resume(_ id: UUID) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume()
        } else {
            resumedEarly.insert(id)
        }
    }

    private func readLastID() async {
        let newest = try? await connection.send(["XREVRANGE", RedisArgument(stream), "+", "-", "COUNT", "1"])
        lastID = newest?.array?.first?.array?.first?.string ?? "0-0"
        let newestSignal = try? await connection.send(["XREVRANGE", RedisArgument(signals), "+", "-", "COUNT", "1"])
        lastSignalID = newestSignal?.array?.first?.array?.first?.string ?? "0-0"
    }

    /// Blocks on both streams while anyone waits; wakes everyone at each new entry.
    private func readLoop() async {
        reading = true
        defer { reading = false }
        var failures = 0
        while !waiters.isEmpty {
            let from = lastID ?? "0-0"
            do {
                let reply = try await connection.send([
                    // Waiters time out on their own; a second bounds how long the loop
                    // outlives the last of them.
                    "XREAD", "COUNT", "100", "BLOCK", "1000",
                    "STREAMS", RedisArgument(stream), RedisArgument(signals), RedisArgument(from), RedisArgument(lastSignalID),
                ])
                failures = 0
                var woken = false
                // One [name, entries] pair per stream that has new entries.
                for pair in reply.array ?? [] {
                    guard let parts = pair.array, parts.count == 2, let newest = parts[1].array?.last?.array?.first?.string else { continue }
                    if parts[0].string == stream { lastID = newest } else { lastSignalID = newest }
                    woken = true
                }
                if woken {
                    for waiter in waiters.values { waiter.resume() }
                    waiters.removeAll()
                }
            } catch {
                // Redis is away: waiters time out on their own; retry gently.
                failures += 1
                try? await Task.sleep(for: .milliseconds(min(1000, 50 * failures)))
            }
        }
    }
}
