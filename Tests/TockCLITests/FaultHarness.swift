import Foundation
import Testing

/// What the fault tests share: a scratch directory, one backend URL, the `tock` CLI on it,
/// workers as child processes with their logs, and waits that end when their condition
/// holds.
final class FaultHarness {
    let directory: URL
    let backend: String
    private(set) var processes: [Process] = []

    init(backend: (URL) -> String) throws {
        directory = try TockProcess.temporaryDirectory()
        self.backend = backend(directory)
    }

    deinit {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `tock ARGUMENTS --backend URL`, to its end.
    func tock(_ arguments: [String], environment: [String: String] = [:]) throws -> TockProcess.Output {
        try TockProcess.run(arguments + ["--backend", backend], in: directory, environment: environment)
    }

    /// `tock jobs show ID --json`.
    func job(_ id: String) throws -> [String: Any] {
        let output = try tock(["jobs", "show", id, "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
    }

    /// `tock workers --json`, by name.
    func workers() throws -> [String: [String: Any]] {
        let output = try tock(["workers", "--json"])
        let list = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["name"] as? String ?? "?", $0) }) { first, _ in first }
    }

    /// Starts `tock worker --name NAME …` with `environment`; its output goes to
    /// LOG.log (default NAME.log).
    func startWorker(_ name: String, log logName: String? = nil, arguments: [String] = [], environment: [String: String]) throws -> Process {
        let process = try TockProcess.start(
            ["worker", "--name", name, "--backend", backend] + arguments, in: directory, environment: environment,
            log: log(logName ?? name))
        processes.append(process)
        return process
    }

    func log(_ name: String) -> URL { directory.appendingPathComponent("\(name).log") }

    func logText(_ name: String) -> String { (try? String(contentsOf: log(name), encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds (checked every 100 ms) or `seconds` pass; returns whether it held.
    @discardableResult
    func wait(seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }
}
