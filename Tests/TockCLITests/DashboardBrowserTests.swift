import Foundation
import Testing
import TockTestSupport

/// The dashboard (docs/dashboard.md) in a real browser: `Tests/Browser/dashboard_test.py`
/// drives Debian's chromium through Playwright for Python (`scripts/browser-venv`) against
/// a real `tock serve`, with real `tock worker --burst` processes running the jobs.
/// Skipped, loudly, only when PyPI or the chromium binary cannot be had.
@Suite(.serialized)
struct DashboardBrowserTests {
    static let venv = PythonVenv(script: "browser-venv")
    static let chromium = "/usr/bin/chromium"

    static let isAvailable: Bool = {
        guard venv.isAvailable(skipping: "dashboard browser tests") else { return false }
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            FileHandle.standardError.write(
                Data("\n*** \(chromium) missing (scripts/install-deps installs chromium): dashboard browser tests SKIPPED ***\n\n".utf8))
            return false
        }
        return true
    }()

    /// On the embedded default (SQLite), then on Redis.
    @Test(.enabled(if: isAvailable), .timeLimit(.minutes(5)), arguments: ["sqlite", "redis"])
    func dashboardInChromium(backend: String) async throws {
        let server = try APIServer()
        var redis: RedisServer?
        defer { redis?.stop() }
        if backend == "redis" {
            guard RedisServer.isInstalled else {
                FileHandle.standardError.write(Data("\n*** redis-server missing: the dashboard on Redis SKIPPED ***\n\n".utf8))
                return
            }
            redis = try await RedisServer()
            server.backend = try #require(redis).urlString()
        }
        try await server.start()
        let script = TockProcess.packageRoot.appendingPathComponent("Tests/Browser/dashboard_test.py")
        var arguments = [
            script.path, "--base", "http://127.0.0.1:\(server.port)", "--tock", TockProcess.binary.path,
            "--backend", server.backend, "--workdir", server.directory.path, "--chromium", Self.chromium,
            // The last check kills the server and starts another in its place (and stops it).
            "--server-pid", String(try #require(server.process).processIdentifier), "--listen", "127.0.0.1:\(server.port)",
        ]
        // scripts/dashboard-screenshots sets this to regenerate docs/dashboard/.
        if backend == "sqlite", let directory = ProcessInfo.processInfo.environment["TOCK_DASHBOARD_SCREENSHOTS"] {
            arguments += ["--screenshots", directory]
        }
        let output = try TockProcess.run(arguments, executable: Self.venv.python(), in: server.directory)
        #expect(
            output.status == 0,
            "dashboard_test.py exited \(output.status)\n\(output.stdout)\n\(output.stderr)\n--- tock serve ---\n\(server.serverLog)")
        #expect(output.stdout.contains("ok: the stream cut by a server restart"), "\(output.stdout)")
    }
}

/// The dashboard's pages over plain HTTP, without a browser: what the server renders.
@Suite(.serialized)
struct DashboardPageTests {
    static let hostile = "<script>alert(1)</script>"

    @Test func pagesEscapeWhatJobsHoldAndAllowOnlyTheirOwnAssets() async throws {
        let server = try APIServer()
        try await server.start()
        let body = #"{"name": "\#(Self.hostile)", "args": ["<b>\"x\"</b>"], "kwargs": {"note": "a & b"}}"#
        let enqueued = try await server.call("POST", "/api/v1/jobs", body)
        #expect(enqueued.status == 202)
        let id = try #require((enqueued.body as? [String: Any])?["id"] as? String)
        for path in ["/", "/jobs", "/jobs?status=queued&queue=default", "/jobs/\(id)", "/workers", "/queues"] {
            let (status, headers, data) = try await server.raw("GET", path)
            let html = String(decoding: data, as: UTF8.self)
            #expect(status == 200, "\(path): \(html)")
            #expect(headers["content-type"] == "text/html; charset=utf-8", "\(path)")
            #expect(headers["content-security-policy"]?.contains("default-src 'none'; script-src 'self'") == true, "\(path)")
            #expect(!html.contains("<script>alert"), "\(path) holds the job's name as markup")
            #expect(html.contains(#"<script src="/assets/dashboard.js" defer></script>"#), "\(path)")
        }
        let jobs = String(decoding: try await server.raw("GET", "/jobs").data, as: UTF8.self)
        #expect(jobs.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let detail = String(decoding: try await server.raw("GET", "/jobs/\(id)").data, as: UTF8.self)
        #expect(detail.contains("&lt;b&gt;\\&quot;x\\&quot;&lt;/b&gt;"), "args as escaped, indented JSON")
        #expect(detail.contains("&quot;note&quot;: &quot;a &amp; b&quot;"))
        // Its state allows cancel and delete, not stop or requeue.
        #expect(detail.contains(#"<button type="button" data-action="cancel">Cancel</button>"#))
        #expect(detail.contains(#"data-action="requeue" hidden>"#))
    }

    @Test func assetsAreServedFromTheBinaryAndAMissingJobIsA404Page() async throws {
        let server = try APIServer()
        try await server.start()
        for (path, type, sign) in [
            ("/assets/dashboard.js", "text/javascript; charset=utf-8", "new EventSource"),
            ("/assets/dashboard.css", "text/css; charset=utf-8", "prefers-color-scheme: dark"),
            ("/assets/favicon.svg", "image/svg+xml", "<svg"),
        ] {
            let (status, headers, data) = try await server.raw("GET", path)
            #expect(status == 200 && headers["content-type"] == type, "\(path)")
            #expect(String(decoding: data, as: UTF8.self).contains(sign), "\(path)")
        }
        let (status, _, data) = try await server.raw("GET", "/jobs/no-such-job")
        #expect(status == 404)
        #expect(String(decoding: data, as: UTF8.self).contains("No job with id &#39;no-such-job&#39;"))
        let (badStatus, _, badData) = try await server.raw("GET", "/jobs?status=nonsense")
        #expect(badStatus == 400, "\(String(decoding: badData, as: UTF8.self))")
    }
}
