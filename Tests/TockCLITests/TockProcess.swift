import Foundation
import TockTestSupport

/// Runs the real `tock` binary (built next to this test bundle) as a child process.
struct TockProcess {
    typealias Output = ProcessOutput

    /// `.build/<triple>/debug/tock`, next to the test bundle.
    static let binary = product("tock")

    /// An executable product of this package (`tock`, `example-worker`), built next to the test bundle.
    static func product(_ name: String) -> URL {
        var directory = Bundle.main.bundleURL
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        fatalError("\(name) binary not found next to \(Bundle.main.bundleURL.path); run `swift build` first")
    }

    /// The package root, for `schedules/`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `executable` (default `tock`) to its end.
    static func run(
        _ arguments: [String], executable: URL = binary, in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> Output {
        try ProcessOutput.run(
            executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: directory ?? packageRoot)
    }

    /// Waits for `process` to exit without blocking a thread of the cooperative pool.
    static func exit(_ process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()  // reaped already: returns at once
    }

    /// Starts `executable` (default `tock`) and leaves it running (workers, daemons); its
    /// stdout and stderr go to the file `log`, which a test can show when it fails.
    static func start(
        _ arguments: [String], executable: URL = binary, in directory: URL? = nil, environment: [String: String] = [:],
        log: URL
    ) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }  // the child has its own copy
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = directory ?? packageRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    /// Waits up to `limit` for `process` to exit; if it has not, kills it (SIGKILL) and
    /// returns false.
    static func exit(_ process: Process, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard process.isRunning else {
            process.waitUntilExit()
            return true
        }
        kill(process.processIdentifier, SIGKILL)
        await exit(process)
        return false
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tock-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
