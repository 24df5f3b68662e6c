import Foundation
import TockTestSupport

/// The real `tock` binary (built next to this test bundle) and curl, as child processes.
enum ChildProcess {
    /// `.build/<triple>/debug/tock`, next to the test bundle.
    static let tock: URL = {
        var directory = Bundle.main.bundleURL
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("tock")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            directory.deleteLastPathComponent()
        }
        fatalError("tock binary not found next to \(Bundle.main.bundleURL.path); run `swift build` first")
    }()

    static let curl = URL(fileURLWithPath: "/usr/bin/curl")

    /// Runs `executable` to its end.
    static func run(_ arguments: [String], executable: URL = tock, in directory: URL) throws -> ProcessOutput {
        try ProcessOutput.run(executable, arguments, environment: ProcessInfo.processInfo.environment, directory: directory)
    }

    /// Starts `executable` and leaves it running; stdout and stderr go to `log`.
    static func start(_ arguments: [String], executable: URL = tock, in directory: URL, log: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }
}
