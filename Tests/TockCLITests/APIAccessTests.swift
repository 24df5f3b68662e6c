import Foundation
import Testing
import TockTestSupport

/// Bearer tokens with scopes, stream tokens, CORS, limits and problem+json for every
/// error, through a real `tock serve` process and a real HTTP client (docs/security.md).
@Suite(.serialized) struct APIAccessTests {
    /// Three tokens: their texts, and `api.tokens` holding only their SHA-256.
    static let reader = "read-Zq8vT1kX3m", web = "web-Pp4cR7uLw2", admin = "admin-Hh6sN9yBe5"

    static func sha256(_ text: String) throws -> String {
        let output = try ProcessOutput.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "printf %s '\(text)' | sha256sum"])
        return String(output.stdout.prefix(64))
    }

    static func tokensYAML() throws -> String {
        """
        api:
          tokens:
            - {name: dashboard, sha256: \(try sha256(reader)), scopes: [read]}
            - {name: web, sha256: \(try sha256(web)), scopes: [enqueue]}
            - {name: ops, sha256: \(try sha256(admin)), scopes: [admin]}

        """
    }

    func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    @Test func withoutTokensEverythingIsOpenOnLoopback() async throws {
        let server = try APIServer()
        try await server.start()
        #expect(try await server.call("GET", "/api/v1/jobs").status == 200)
        #expect(try await server.call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#).status == 202)
        let minted = try await server.call("POST", "/api/v1/stream-tokens")
        #expect(minted.status == 200 && (minted.body as? [String: Any])?["token"] is NSNull)
        #expect(server.serverLog.contains("loopback only"))
    }

    @Test func tokensAndScopesDecideEveryRequest() async throws {
        let server = try APIServer()
        try await server.start(["--config", try server.configure(Self.tokensYAML())])
        // No token, a wrong one: 401 naming what to send.
        let missing = try await server.call("GET", "/api/v1/jobs")
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"] == #"Bearer realm="tock""#)
        #expect(missing.headers["content-type"] == "application/problem+json")
        #expect(try await server.call("GET", "/api/v1/jobs", headers: bearer("not-a-token")).status == 401)
        #expect(try await server.call("GET", "/api/v1/jobs", headers: ["Authorization": "Basic \(Self.reader)"]).status == 401)
        // Health is open: load balancers send no token.
        #expect(try await server.call("GET", "/healthz").status == 200)
        #expect(try await server.call("GET", "/readyz").status == 200)
        // read: every GET, no mutation.
        #expect(try await server.call("GET", "/api/v1/queues", headers: bearer(Self.reader)).status == 200)
        let forbidden = try await server.call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#, headers: bearer(Self.reader))
        #expect(forbidden.status == 403)
        let detail = (forbidden.body as? [String: Any])?["detail"] as? String ?? ""
        #expect(detail.contains("token 'dashboard'") && detail.contains("needs 'enqueue'"), "\(detail)")
        // enqueue: POST /api/v1/jobs only (a web app that must not read other jobs).
        let enqueued = try await server.call("POST", "/api/v1/jobs", #"{"name": "tock.noop", "id": "j1"}"#, headers: bearer(Self.web))
        #expect(enqueued.status == 202)
        #expect(try await server.call("GET", "/api/v1/jobs/j1", headers: bearer(Self.web)).status == 403)
        #expect(try await server.call("POST", "/api/v1/jobs/j1/cancel", headers: bearer(Self.web)).status == 403)
        #expect(try await server.call("POST", "/api/v1/jobs/j1/cancel", headers: bearer(Self.reader)).status == 403)
        // admin: everything.
        #expect(try await server.call("GET", "/api/v1/jobs/j1", headers: bearer(Self.admin)).status == 200)
        #expect(try await server.call("POST", "/api/v1/jobs/j1/cancel", headers: bearer(Self.admin)).status == 200)
        #expect(try await server.call("DELETE", "/api/v1/jobs/j1", headers: bearer(Self.admin)).status == 204)
        // The tokens appear in no log line, only their names do.
        for token in [Self.reader, Self.web, Self.admin] { #expect(!server.serverLog.contains(token)) }
    }

    /// `EventSource` sends no headers: a short-lived signed token in `?token=` opens a
    /// stream, and nothing else.
    @Test func streamTokensOpenStreamsOnly() async throws {
        let server = try APIServer()
        try await server.start(["--config", try server.configure(Self.tokensYAML())])
        #expect(try await server.call("POST", "/api/v1/stream-tokens", headers: bearer(Self.web)).status == 403)
        let minted = try await server.call("POST", "/api/v1/stream-tokens", headers: bearer(Self.reader))
        #expect(minted.status == 200)
        let token = try #require((minted.body as? [String: Any])?["token"] as? String)
        #expect(token.hasPrefix("dashboard.") && !token.contains(Self.reader))
        let stream = try TockProcess.run(
            ["-s", "-N", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "http://127.0.0.1:\(server.port)/api/v1/stream?token=\(token)"],
            executable: URL(fileURLWithPath: "/usr/bin/curl"))
        #expect(stream.stdout == "200")
        let tampered = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        #expect(try await server.call("GET", "/api/v1/stream?token=\(tampered)").status == 401)
        #expect(try await server.call("GET", "/api/v1/jobs?token=\(token)").status == 401)
    }

    /// The WebSocket upgrade happens before the router: it checks tokens itself.
    @Test func theWebSocketNeedsATokenToo() async throws {
        let server = try APIServer()
        try await server.start(["--config", try server.configure(Self.tokensYAML())])
        func upgrade(_ extra: [String], query: String = "") throws -> String {
            try TockProcess.run(
                [
                    "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "-H", "Connection: Upgrade", "-H", "Upgrade: websocket",
                    "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                ] + extra + ["http://127.0.0.1:\(server.port)/api/v1/ws\(query)"],
                executable: URL(fileURLWithPath: "/usr/bin/curl")
            ).stdout
        }
        // Refused before any frame: the upgrade handler closes the connection with a 400
        // (browsers show a failed WebSocket the same way whatever the status).
        #expect(try upgrade([]) == "400")
        #expect(try upgrade(["-H", "Authorization: Bearer \(Self.web)"]) == "400")
        #expect(try upgrade(["-H", "Authorization: Bearer not-a-token"]) == "400")
        #expect(try upgrade(["-H", "Authorization: Bearer \(Self.reader)"]) == "101")
        let minted = try await server.call("POST", "/api/v1/stream-tokens", headers: bearer(Self.reader))
        let token = try #require((minted.body as? [String: Any])?["token"] as? String)
        #expect(try upgrade([], query: "?token=\(token)") == "101")
    }

    /// `api.max_streams_per_client`: past it, 429 until a stream closes.
    @Test func streamsPerTokenAreLimited() async throws {
        let server = try APIServer()
        try await server.start(["--config", try server.configure(Self.tokensYAML() + "  max_streams_per_client: 1\n")])
        let open = try TockProcess.start(
            ["-s", "-N", "--max-time", "20", "-H", "Authorization: Bearer \(Self.reader)", "http://127.0.0.1:\(server.port)/api/v1/stream"],
            executable: URL(fileURLWithPath: "/usr/bin/curl"), in: server.directory, log: server.directory.appendingPathComponent("stream.txt"))
        defer { if open.isRunning { kill(open.processIdentifier, SIGKILL) } }
        var second = 0
        for _ in 0..<50 {
            second = try TockProcess.run(
                ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "-H", "Authorization: Bearer \(Self.reader)",
                 "http://127.0.0.1:\(server.port)/api/v1/stream"], executable: URL(fileURLWithPath: "/usr/bin/curl")
            ).stdout == "429" ? 429 : 200
            if second == 429 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(second == 429)
        // Another token has its own allowance; the first one's is back once its stream closes.
        #expect(try await server.call("GET", "/api/v1/queues", headers: bearer(Self.admin)).status == 200)
        kill(open.processIdentifier, SIGTERM)
        _ = await TockProcess.exit(open, within: .seconds(5))
        // The server notices the closed stream when a write fails: at the second keep-alive
        // after the close at the latest (the first may still be taken by the socket), 30 s.
        var again = ""
        for _ in 0..<180 {
            again = try TockProcess.run(
                ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "-H", "Authorization: Bearer \(Self.reader)",
                 "http://127.0.0.1:\(server.port)/api/v1/stream"], executable: URL(fileURLWithPath: "/usr/bin/curl")
            ).stdout
            if again != "429" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(again == "200")
    }

    @Test func corsIsOffUnlessOriginsAreConfigured() async throws {
        let open = try APIServer()
        try await open.start()
        let plain = try await open.call("OPTIONS", "/api/v1/jobs", headers: ["Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"])
        #expect(plain.headers["access-control-allow-origin"] == nil)
        let server = try APIServer()
        try await server.start(["--config", try server.configure("api:\n  cors_origins: [https://app.example.com]\n")])
        let preflight = try await server.call(
            "OPTIONS", "/api/v1/jobs", headers: ["Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"])
        #expect(preflight.headers["access-control-allow-origin"] == "https://app.example.com")
        let other = try await server.call("GET", "/api/v1/jobs", headers: ["Origin": "https://evil.example.net"])
        #expect(other.status == 200 && other.headers["access-control-allow-origin"] == nil)
    }

    /// Errors Hummingbird makes itself are problem+json too, and the server keeps serving.
    @Test func oversizedBodiesAndUnknownRoutesAreProblems() async throws {
        let server = try APIServer()
        try await server.start()
        let huge = Data(count: 50 << 20)
        let tooLarge = try await server.raw("POST", "/api/v1/jobs", huge)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.headers["content-type"] == "application/problem+json")
        let unknown = try await server.call("GET", "/api/v1/nothing-here")
        #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/problem+json")
        #expect(((unknown.body as? [String: Any])?["detail"] as? String)?.contains("/api/v1/openapi.json") == true)
        #expect(try await server.call("GET", "/api/v1/jobs").status == 200)
    }

    @Test func configurationErrorsNameTheField() throws {
        let server = try APIServer()
        let config = try server.configure("api:\n  tokens:\n    - {name: web, sha256: not-hex, scopes: [read]}\n")
        let output = try TockProcess.run(["serve", "--config", config, "--listen", "127.0.0.1:\(server.port)"], in: server.directory)
        #expect(output.status != 0)
        #expect(output.stderr.contains("tock.yaml:3:") && output.stderr.contains("64 hex digits"), "\(output.stderr)")
        let scope = try server.configure("api:\n  tokens:\n    - {name: web, sha256: \(String(repeating: "a", count: 64)), scopes: [write]}\n")
        let wrong = try TockProcess.run(["serve", "--config", scope, "--listen", "127.0.0.1:\(server.port)"], in: server.directory)
        #expect(wrong.stderr.contains("unknown scope 'write'"), "\(wrong.stderr)")
    }
}
