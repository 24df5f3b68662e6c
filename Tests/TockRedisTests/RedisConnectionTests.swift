import Testing
import TockRedis
import TockTestSupport

@Suite("RedisConnection against a real redis-server", .serialized, .enabled(if: RedisServer.isInstalled, "redis-server is not installed"))
struct RedisConnectionTests {
    @Test func setGetIncrAndBinary() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url())
        #expect(try await redis.send(["SET", "greeting", "hello"]) == .status("OK"))
        #expect(try await redis.send(["GET", "greeting"]).string == "hello")
        #expect(try await redis.send(["GET", "missing"]) == .null)
        #expect(try await redis.send(["INCR", "counter"]) == .integer(1))
        #expect(try await redis.send(["INCRBY", "counter", 41]) == .integer(42))
        let binary: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 13, 10, 0]
        try await redis.send(["SET", "blob", RedisArgument(binary)])
        #expect(try await redis.send(["GET", "blob"]) == .bulk(binary))
        try await redis.send(["RPUSH", "list", "a", "b"])
        #expect(try await redis.send(["LRANGE", "list", 0, -1]) == .array([.bulk(Array("a".utf8)), .bulk(Array("b".utf8))]))
        await #expect(throws: RedisError.self) { try await redis.send(["INCR", "greeting"]) }
        let error = await #expect(throws: RedisError.self) { try await redis.send(["NOSUCHCOMMAND"]) }
        guard case let .server(command, message)? = error else {
            Issue.record("expected a server error reply, got \(String(describing: error))")
            return
        }
        #expect(command == "NOSUCHCOMMAND")
        #expect(message.contains("unknown command"))
    }

    @Test func pipelineOfThousandIncrs() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url())
        let replies = try await redis.pipeline(Array(repeating: ["INCR", "n"], count: 1000))
        #expect(replies == (1...1000).map { RedisValue.integer(Int64($0)) })
    }

    @Test func transactionIsAtomic() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url())
        let replies = try await redis.transaction([["SET", "a", "1"], ["INCR", "a"], ["GET", "a"]])
        #expect(replies == [.status("OK"), .integer(2), .bulk(Array("2".utf8))])
        await #expect(throws: RedisError.self) {
            _ = try await redis.transaction([["SET", "b", "1"], ["NOSUCHCOMMAND"]])
        }
        #expect(try await redis.send(["EXISTS", "b"]) == .integer(0))
    }

    @Test func scriptUsesEvalshaWithNoscriptFallback() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url())
        let source = "return redis.call('INCRBY', KEYS[1], ARGV[1])"
        let digest = RedisScript(source).digest
        #expect(try await redis.send(["SCRIPT", "EXISTS", .init(digest)]) == .array([.integer(0)]))
        #expect(try await redis.script(RedisScript(source), keys: ["k"], args: [5]) == .integer(5))
        // The NOSCRIPT fallback ran EVAL, which cached the script under the same digest.
        #expect(try await redis.send(["SCRIPT", "EXISTS", .init(digest)]) == .array([.integer(1)]))
        #expect(try await redis.script(RedisScript(source), keys: ["k"], args: [5]) == .integer(10))
        try await redis.send(["SCRIPT", "FLUSH"])
        #expect(try await redis.script(RedisScript(source), keys: ["k"], args: [1]) == .integer(11))
    }

    @Test func authWithRequirepassAndACLUser() async throws {
        let server = try await RedisServer(password: "hunter2")
        let redis = try await RedisConnection.connect(to: server.url(password: "hunter2"))
        try await redis.send(["ACL", "SETUSER", "tock", "on", ">secret", "~*", "+@all"])
        let asUser = try await RedisConnection.connect(to: server.url(user: "tock", password: "secret"))
        #expect(try await asUser.send(["ACL", "WHOAMI"]).string == "tock")

        let options = RedisConnection.Options(reconnectAttempts: 0)
        for url in [server.url(password: "wrong"), server.url(user: "tock", password: "wrong")] {
            do {
                _ = try await RedisConnection.connect(to: url, options: options)
                Issue.record("connected with a wrong password")
            } catch {
                guard case let .authenticationFailed(endpoint, user, _) = error else { throw error }
                #expect(endpoint == "127.0.0.1:\(server.port)")
                #expect(user == url.username)
            }
        }
        let anonymous = RedisConnection(url: server.url(), options: options)
        await #expect(throws: RedisError.self) { try await anonymous.send(["GET", "x"]) }
    }

    @Test func selectIsolatesDatabases() async throws {
        let server = try await RedisServer()
        let zero = try await RedisConnection.connect(to: server.url(database: 0))
        let five = try await RedisConnection.connect(to: server.url(database: 5))
        try await zero.send(["SET", "key", "zero"])
        try await five.send(["SET", "key", "five"])
        #expect(try await zero.send(["GET", "key"]).string == "zero")
        #expect(try await five.send(["GET", "key"]).string == "five")
        #expect(try await five.send(["DBSIZE"]) == .integer(1))
    }

    @Test func reconnectsAfterServerRestart() async throws {
        let server = try await RedisServer()
        let redis = try await RedisConnection.connect(to: server.url(), options: .init(reconnectAttempts: 5))
        #expect(try await redis.send(["SET", "a", "1"]) == .status("OK"))
        server.stop()
        do {
            try await redis.send(["INCR", "a"])
            Issue.record("command succeeded with the server stopped")
        } catch {
            #expect(error.isConnectionError, "\(error)")
        }
        try await server.start()
        #expect(try await redis.send(["PING"]) == .status("PONG"))
        #expect(try await redis.send(["INCR", "a"]) == .integer(1))
    }

    @Test func connectionRefusedIsClear() async throws {
        let port = try RedisServer.freePort()
        do {
            _ = try await RedisConnection.connect(
                to: RedisURL("redis://127.0.0.1:\(port)"), options: .init(reconnectAttempts: 1, reconnectBackoff: .milliseconds(10))
            )
            Issue.record("connected to a closed port")
        } catch {
            guard case let .connectionFailed(endpoint, reason) = error else { throw error }
            #expect(endpoint == "127.0.0.1:\(port)")
            #expect(reason.lowercased().contains("refused"))
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }
}
