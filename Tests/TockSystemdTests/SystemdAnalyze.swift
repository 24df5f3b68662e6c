import Foundation

/// Runs `systemd-analyze` (Debian package `systemd`).
enum SystemdAnalyze {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The program, if installed.
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (directories + ["/usr/bin", "/bin"]).map { $0 + "/systemd-analyze" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// `units/` in this package.
    static let unitsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("units")

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "systemd-analyze")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a large report cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The number in `→ Overall exposure level for UNIT: 0.9 SAFE 😀`.
    static func exposure(in report: String) -> Double? {
        guard let line = report.split(separator: "\n").first(where: { $0.contains("Overall exposure level for ") }),
              let colon = line.lastIndex(of: ":")
        else { return nil }
        return line[line.index(after: colon)...].split(separator: " ").first.flatMap { Double($0) }
    }
}
