import Testing
@testable import TockRedis

@Suite("RedisURL parsing")
struct RedisURLTests {
    @Test func defaults() throws {
        let url = try RedisURL("redis://localhost")
        #expect(url.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(url.database == 0)
        #expect(url.username == nil && url.password == nil)
    }

    @Test func fullURL() throws {
        let url = try RedisURL("redis://tock:s%40cret@10.0.0.5:6380/3")
        #expect(url.endpoint == .tcp(host: "10.0.0.5", port: 6380))
        #expect(url.username == "tock")
        #expect(url.password == "s@cret")
        #expect(url.database == 3)
        #expect(!url.description.contains("s@cret"))
    }

    @Test func passwordOnly() throws {
        let url = try RedisURL("redis://:secret@host:1234/0")
        #expect(url.username == nil)
        #expect(url.password == "secret")
    }

    @Test func unixSocket() throws {
        let url = try RedisURL("unix:///run/redis/redis.sock?db=2")
        #expect(url.endpoint == .unix(path: "/run/redis/redis.sock"))
        #expect(url.database == 2)
    }

    @Test(arguments: [
        ("http://host", "scheme 'http'"),
        ("redis://host/abc", "database 'abc'"),
        ("redis://host:99999", "port"),
        ("unix://", "socket path"),
        ("unix:///tmp/r.sock?db=x", "db 'x'"),
        ("rediss://host", "TLS"),
    ])
    func invalid(text: String, mention: String) {
        do {
            _ = try RedisURL(text)
            Issue.record("\(text) parsed")
        } catch {
            guard case let .invalidURL(url, reason) = error else { Issue.record("\(error)"); return }
            #expect(url == text)
            #expect(reason.contains(mention) || error.description.contains(mention), "\(error)")
        }
    }

    @Test func scriptDigestIsSHA1() {
        #expect(RedisScript("abc").digest == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(RedisScript("").digest == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}
