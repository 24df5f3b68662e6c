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

/// The ACL user `docs/redis.md` recommends can do everything the backend does.
@Suite struct RedisACLTests {
    @Test(.enabled(if: RedisServer.isInstalled), arguments: [
        "completeThenClaimTakesTheNextJob", "waitForChangeWakesOnEnqueueAndTimesOut", "abandonedJobsAreRetriedOrFailed",
        "recordFireEnqueuesTheJobAndSetsTheState", "batchesCountChunksAndCompleteOnce",
    ])
    func documentedACLUser(_ name: String) async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let admin = RedisConnection(url: server.url())
        // As in docs/redis.md, "An ACL user for Tock".
        _ = try await admin.send([
            "ACL", "SETUSER", "tock", "on", ">a-long-secret", "~rq:*", "&rq:*", "+@read", "+@write", "+@scripting", "+@connection",
            "+@transaction", "+publish", "-@dangerous",
        ])
        await admin.close()
        try await BackendConformance.run(name) {
            try await RedisBackend.connect(url: server.url(user: "tock", password: "a-long-secret"))
        }
    }
}
