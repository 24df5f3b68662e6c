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

    @Test(.enabled(if: isAvailable), .timeLimit(.minutes(5)))
    func dashboardInChromium() async throws {
        let server = try APIServer()
        try await server.start()
        let script = TockProcess.packageRoot.appendingPathComponent("Tests/Browser/dashboard_test.py")
        var arguments = [
            script.path, "--base", "http://127.0.0.1:\(server.port)", "--tock", TockProcess.binary.path,
            "--backend", server.backend, "--workdir", server.directory.path, "--chromium", Self.chromium,
            // The last check kills the server and starts another in its place (and stops it).
            "--server-pid", String(try #require(server.process).processIdentifier), "--listen", "127.0.0.1:\(server.port)",
        ]
        // scripts/dashboard-screenshots sets this to regenerate docs/dashboard/.
        if let directory = ProcessInfo.processInfo.environment["TOCK_DASHBOARD_SCREENSHOTS"] {
            arguments += ["--screenshots", directory]
        }
        let output = try TockProcess.run(arguments, executable: Self.venv.python(), in: server.directory)
        #expect(
            output.status == 0,
            "dashboard_test.py exited \(output.status)\n\(output.stdout)\n\(output.stderr)\n--- tock serve ---\n\(server.serverLog)")
        #expect(output.stdout.contains("ok: the stream cut by a server restart"), "\(output.stdout)")
    }
}
