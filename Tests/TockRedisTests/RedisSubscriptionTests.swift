import Foundation
import Synchronization
import Testing
import TockRedis
import TockTestSupport

@Suite("RedisSubscription against a real redis-server", .serialized, .enabled(if: RedisServer.isInstalled, "redis-server is not installed"))
struct RedisSubscriptionTests {
    /// Messages a subscription handed over, in order.
    final class Received: Sendable {
        let messages = Mutex<[String]>([])
        func add(_ channel: String, _ message: [UInt8]) {
            messages.withLock { $0.append("\(channel) \(String(decoding: message, as: UTF8.self))") }
        }
        var all: [String] { messages.withLock { $0 } }
    }

    /// Publishes `message` until the subscription has handed over `until` messages (it
    /// subscribes on its own thread, and again after a restart: earlier ones are lost; so
    /// is our first command after the restart).
    func publish(_ redis: RedisConnection, _ channel: String, _ message: String, until count: Int, _ received: Received) async throws {
        for _ in 0..<100 where received.all.count < count {
            _ = try? await redis.send(["PUBLISH", RedisArgument(channel), RedisArgument(message)])
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func deliversMatchingMessagesAndResubscribesAfterARestart() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url(), options: .init(reconnectAttempts: 10))
        let received = Received()
        let subscription = RedisSubscription(url: server.url(), pattern: "rq:pubsub:*") { received.add($0, $1) }
        defer { subscription.stop() }
        try await publish(redis, "rq:pubsub:w1", #"{"command": "stop-job"}"#, until: 1, received)
        try await redis.send(["PUBLISH", "other:w1", "not for it"])
        #expect(received.all.first == #"rq:pubsub:w1 {"command": "stop-job"}"#)

        server.stop()
        try await server.start()
        let before = received.all.count
        try await publish(redis, "rq:pubsub:w2", "after", until: before + 1, received)
        #expect(received.all.last == "rq:pubsub:w2 after", "\(received.all)")
        #expect(!received.all.contains { $0.hasPrefix("other:") })
    }

    @Test func stopsDelivering() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url())
        let received = Received()
        let subscription = RedisSubscription(url: server.url(), pattern: "c*") { received.add($0, $1) }
        try await publish(redis, "c1", "first", until: 1, received)
        subscription.stop()
        try await Task.sleep(for: .milliseconds(1200))  // it looks at the flag every second
        let count = received.all.count
        try await redis.send(["PUBLISH", "c1", "after stop"])
        try await Task.sleep(for: .milliseconds(200))
        #expect(received.all.count == count)
        // Its connection is gone: only ours is subscribed to nothing.
        #expect(try await redis.send(["PUBSUB", "NUMPAT"]) == .integer(0))
    }
}
