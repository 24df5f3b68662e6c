import Foundation
import Testing
import TockRedis
import TockTestSupport

/// `--backend redis://…?prefix=NAME:` through the real binary: two installations on one
/// Redis do not see each other's jobs, and the keys are under the prefix.
@Suite(.enabled(if: RedisServer.isInstalled, "redis-server is not installed"))
struct RedisPrefixCLITests {
    @Test func aPrefixKeepsInstallationsApart() async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let billing = server.urlString() + "?prefix=billing:"
        let enqueued = try TockProcess.run(["enqueue", "tock.noop", "--id", "invoice-run", "--backend", billing])
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let mine = try TockProcess.run(["jobs", "--backend", billing])
        #expect(mine.stdout.contains("invoice-run"), "\(mine.stdout)")
        let others = try TockProcess.run(["jobs", "--backend", server.urlString()])
        #expect(others.status == 0, "\(others.stderr)")
        #expect(!others.stdout.contains("invoice-run"), "\(others.stdout)")
        let redis = RedisConnection(url: server.url())
        #expect(try await redis.send(["EXISTS", "billing:job:invoice-run"]) == .integer(1))
        #expect(try await redis.send(["EXISTS", "rq:job:invoice-run"]) == .integer(0))
        await redis.close()
        let empty = try TockProcess.run(["jobs", "--backend", server.urlString() + "?prefix="])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("prefix= needs a value"), "\(empty.stderr)")
    }
}
