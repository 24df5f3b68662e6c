import Foundation
import Testing
import TockTestSupport

/// The server held to its OpenAPI document (Sources/TockAPI/openapi.json) by schemathesis,
/// against a live `tock serve` with tokens, on SQLite and on a real redis-server: no 5xx,
/// every answer's status, content type and body as documented, invalid input refused,
/// undeclared methods 405, authentication enforced.
@Suite(.serialized, .enabled(if: APITools.isAvailable)) struct OpenAPIConformanceTests {
    static let token = "ops-Vd3kQ9wZ7r"

    func serve(backend: String?) async throws -> APIServer {
        let server = try APIServer()
        if let backend { server.backend = backend }
        try FileManager.default.copyItem(
            at: TockProcess.packageRoot.appendingPathComponent("schedules"), to: server.directory.appendingPathComponent("schedules"))
        let yaml = "api:\n  tokens:\n    - {name: ops, sha256: \(try APIAccessTests.sha256(Self.token)), scopes: [admin]}\n"
        try await server.start(["--config", try server.configure(yaml)])
        // Something to find: jobs in several states.
        for body in [#"{"name": "tock.noop", "id": "queued-1"}"#, #"{"name": "tock.noop", "id": "later-1", "in": "1h"}"#] {
            _ = try await server.call("POST", "/api/v1/jobs", body, headers: ["Authorization": "Bearer \(Self.token)"])
        }
        return server
    }

    /// Runs schemathesis; its report when it finds failures.
    func schemathesis(_ server: APIServer) throws {
        let base = "http://127.0.0.1:\(server.port)"
        let output = try TockProcess.run(
            [
                "run", "\(base)/api/v1/openapi.json", "--url", base, "-H", "Authorization: Bearer \(Self.token)",
                // Bounded: a fixed seed and few examples per operation keep CI's run short and repeatable.
                "--max-examples", "15", "--seed", "20261208", "--request-timeout", "10",
                // Streams never end by themselves; RealtimeTests drive them.
                "--exclude-path-regex", "/stream|/ws",
                // Which queues and job names are valid is configuration (tock.yaml, jobs:), which a
                // static document cannot state: refusing a queue that is not configured is right.
                "--exclude-checks", "positive_data_acceptance",
                "--no-color",
            ], executable: try APITools.venv.program("schemathesis"), in: server.directory)
        #expect(output.status == 0, "schemathesis found failures:\n\(output.stdout.suffix(6000))\n\(output.stderr.suffix(2000))")
    }

    @Test func theServerOnSQLiteConformsToItsDocument() async throws {
        let server = try await serve(backend: nil)
        try schemathesis(server)
        #expect(try await server.call("GET", "/healthz").status == 200, "the server stopped serving:\n\(server.serverLog)")
        #expect(!server.serverLog.contains(Self.token))
    }

    @Test(.enabled(if: RedisServer.isInstalled)) func theServerOnRedisConformsToItsDocument() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let server = try await serve(backend: redis.urlString())
        try schemathesis(server)
        #expect(try await server.call("GET", "/healthz").status == 200, "the server stopped serving:\n\(server.serverLog)")
    }

    /// The document served is the one committed, and the router answers 405 with `Allow`
    /// for a declared path with an undeclared method (Hummingbird alone would say 404).
    @Test func theDocumentIsServedAndUndeclaredMethodsAre405() async throws {
        let server = try APIServer()
        try await server.start()
        let served = try await server.raw("GET", "/api/v1/openapi.json")
        let committed = try Data(contentsOf: TockProcess.packageRoot.appendingPathComponent("Sources/TockAPI/openapi.json"))
        #expect(served.status == 200 && served.data == committed)
        let wrong = try await server.call("DELETE", "/api/v1/queues")
        #expect(wrong.status == 405)
        #expect(wrong.headers["allow"] == "GET")
        #expect(wrong.headers["content-type"] == "application/problem+json")
        let action = try await server.call("GET", "/api/v1/jobs/some-id/cancel")
        #expect(action.status == 405 && action.headers["allow"] == "POST")
        #expect(try await server.call("GET", "/api/v1/no/such/route").status == 404)
    }
}

/// schemathesis and prometheus-client, from `scripts/api-venv`.
enum APITools {
    static let venv = PythonVenv(script: "api-venv")
    static let isAvailable = venv.isAvailable(skipping: "schemathesis and Prometheus-parser tests")
}
