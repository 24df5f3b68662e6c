import Foundation
import Testing
import TockBackendConformance
import TockCore
import TockRedis
import TockTestSupport

/// The backend conformance suite against a real redis-server, one server per check.
@Suite struct RedisConformanceTests {
    @Test(.enabled(if: RedisServer.isInstalled), arguments: BackendConformance.checkNames)
    func conformance(_ name: String) async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        try await BackendConformance.run(name) { try await RedisBackend.connect(url: server.url()) }
    }

    /// The same checks under another key prefix (several installations on one Redis).
    @Test(.enabled(if: RedisServer.isInstalled), arguments: ["enqueueStoresTheJobAndLogsAnEvent", "abandonedJobsAreRetriedOrFailed", "batchesCountChunksAndCompleteOnce", "recordFireEnqueuesTheJobAndSetsTheState"])
    func conformanceUnderAnotherPrefix(_ name: String) async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        try await BackendConformance.run(name) {
            try await RedisBackend.connect(url: server.url(), options: RedisBackend.Options(prefix: "tock-b:"))
        }
    }
}

/// The ACL user `docs/redis.md` recommends — read from the doc, so the two cannot drift —
/// can do everything the backend does, including the worker's subscription to RQ's
/// commands.
@Suite struct RedisACLTests {
    /// The words of the `ACL SETUSER` line in docs/redis.md.
    static func documentedACL() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/redis.md"), encoding: .utf8)
        let line = try #require(doc.split(separator: "\n").first { $0.hasPrefix("ACL SETUSER tock ") })
        return line.split(separator: " ").map(String.init)
    }

    static func serverWithDocumentedUser() async throws -> RedisServer {
        let server = try await RedisServer()
        let admin = RedisConnection(url: server.url())
        _ = try await admin.send(try documentedACL().map { RedisArgument($0) })
        await admin.close()
        return server
    }

    @Test(.enabled(if: RedisServer.isInstalled), arguments: [
        "completeThenClaimTakesTheNextJob", "waitForChangeWakesOnEnqueueAndTimesOut", "abandonedJobsAreRetriedOrFailed",
        "recordFireEnqueuesTheJobAndSetsTheState", "recordFiresCountsSkipsWithTheirReason", "batchesCountChunksAndCompleteOnce",
    ])
    func documentedACLUser(_ name: String) async throws {
        let server = try await Self.serverWithDocumentedUser()
        defer { server.stop() }
        try await BackendConformance.run(name) {
            try await RedisBackend.connect(url: server.url(user: "tock", password: "a-long-secret"))
        }
    }

    @Test(.enabled(if: RedisServer.isInstalled))
    func documentedACLUserReceivesRQsWorkerCommands() async throws {
        let server = try await Self.serverWithDocumentedUser()
        defer { server.stop() }
        let received = RedisSubscriptionTests.Received()
        let subscription = RedisSubscription(url: server.url(user: "tock", password: "a-long-secret"), pattern: "rq:pubsub:*") {
            received.add($0, $1)
        }
        defer { subscription.stop() }
        let redis = try await RedisConnection.connect(to: server.url())
        for _ in 0..<100 where received.all.isEmpty {
            _ = try await redis.send(["PUBLISH", "rq:pubsub:w1", "stop"])
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(received.all == ["rq:pubsub:w1 stop"])
    }
}
