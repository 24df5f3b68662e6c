import Foundation
import TockTestSupport

/// Runs `systemd-analyze` (Debian package `systemd`).
enum SystemdAnalyze {
    typealias Output = ProcessOutput

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
        try ProcessOutput.run(URL(fileURLWithPath: path ?? "systemd-analyze"), arguments)
    }

    /// The number in `→ Overall exposure level for UNIT: 0.9 SAFE 😀`.
    static func exposure(in report: String) -> Double? {
        guard let line = report.split(separator: "\n").first(where: { $0.contains("Overall exposure level for ") }),
              let colon = line.lastIndex(of: ":")
        else { return nil }
        return line[line.index(after: colon)...].split(separator: " ").first.flatMap { Double($0) }
    }
}
