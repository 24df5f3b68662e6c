import Foundation
import Testing
import TockTestSupport

/// Redis under faults, through real `tock` processes and a real redis-server.
@Suite(.serialized) struct RedisFaultTests {
    /// `redis-cli` against the test's server.
    static func cli(_ server: RedisServer, _ arguments: [String]) throws -> String {
        let output = try TockProcess.run(["-p", "\(server.port)"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/redis-cli"))
        return output.stdout
    }

    /// Every key and, for the lists, sets and sorted sets, its members: what a
    /// half-written enqueue would change.
    static func snapshot(_ server: RedisServer) throws -> [String: String] {
        var state: [String: String] = [:]
        for key in try cli(server, ["--scan"]).split(separator: "\n").map(String.init) {
            let type = try cli(server, ["TYPE", key]).trimmingCharacters(in: .whitespacesAndNewlines)
            switch type {
            case "list": state[key] = try cli(server, ["LRANGE", key, "0", "-1"])
            case "set": state[key] = try cli(server, ["SMEMBERS", key]).split(separator: "\n").sorted().joined(separator: "\n")
            case "zset": state[key] = try cli(server, ["ZRANGE", key, "0", "-1"])
            case "hash": state[key] = try cli(server, ["HKEYS", key]).split(separator: "\n").sorted().joined(separator: "\n")
            default: state[key] = type
            }
        }
        return state
    }

    /// At `maxmemory` with `noeviction`, `tock enqueue` and `tock batch` fail with exit 1
    /// and an error that says so, and write nothing (no job hash without its queue entry
    /// or the other way round: every key as before); after `CONFIG SET maxmemory 0`
    /// both work.
    @Test func enqueueAtMaxmemoryFailsCleanlyAndWorksAfter() async throws {
        guard RedisServer.isInstalled else { return }
        let server = try await RedisServer()
        let harness = try FaultHarness { _ in server.urlString() }
        #expect(try harness.tock(["enqueue", "tock.noop", "--id", "warm"]).status == 0)
        let items = harness.directory.appendingPathComponent("items.jsonl")
        try "1\n2\n3\n".write(to: items, atomically: true, encoding: .utf8)

        _ = try Self.cli(server, ["CONFIG", "SET", "maxmemory-policy", "noeviction"])
        _ = try Self.cli(server, ["CONFIG", "SET", "maxmemory", "1"])
        let before = try Self.snapshot(server)
        #expect(before.keys.contains { $0.hasSuffix(":job:warm") }, "\(before.keys.sorted())")

        let enqueue = try harness.tock(["enqueue", "tock.noop", "--id", "refused"])
        #expect(enqueue.status == 1, "exit status \(enqueue.status): \(enqueue.stdout)")
        #expect(enqueue.stderr.contains("maxmemory") || enqueue.stderr.contains("OOM"), "\(enqueue.stderr)")
        let batch = try harness.tock(["batch", "tock.noop", "--items", items.path, "--chunk-size", "1", "--id", "refusedbatch"])
        #expect(batch.status == 1, "exit status \(batch.status): \(batch.stdout)")
        #expect(batch.stderr.contains("maxmemory") || batch.stderr.contains("OOM"), "\(batch.stderr)")
        let after = try Self.snapshot(server)
        #expect(after == before, "keys changed by refused enqueues: \(Set(after.keys).symmetricDifference(before.keys).sorted()) \(after.filter { before[$0.key] != $0.value }.keys.sorted())")

        _ = try Self.cli(server, ["CONFIG", "SET", "maxmemory", "0"])
        let again = try harness.tock(["enqueue", "tock.noop", "--id", "refused"])
        #expect(again.status == 0, "\(again.stderr)")
        let batchAgain = try harness.tock(["batch", "tock.noop", "--items", items.path, "--chunk-size", "1", "--id", "refusedbatch"])
        #expect(batchAgain.status == 0, "\(batchAgain.stderr)")
        let queue = try Self.cli(server, ["LRANGE", "rq:queue:default", "0", "-1"]).split(separator: "\n").map(String.init)
        #expect(queue.contains("refused"), "\(queue)")
        #expect(queue.filter { $0.hasPrefix("refusedbatch") }.count == 3, "\(queue)")
        #expect(try harness.job("refused")["status"] as? String == "queued")
    }
}
