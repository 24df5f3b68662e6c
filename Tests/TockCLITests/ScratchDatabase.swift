import Foundation
import Testing

/// A suite with a directory and a SQLite database of its own, driving the real `tock`
/// against that database.
protocol ScratchDatabase {
    var directory: URL { get }
    var database: String { get }
}

extension ScratchDatabase {
    /// Runs `tock ARGUMENTS --backend sqlite:DATABASE` in the directory, to its end.
    func tock(_ arguments: [String], environment: [String: String] = [:]) throws -> TockProcess.Output {
        try TockProcess.run(arguments + ["--backend", "sqlite:\(database)"], in: directory, environment: environment)
    }

    /// `tock jobs show ID --json`, parsed.
    func jobJSON(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let output = try tock(["jobs", "show", id, "--json"])
        return try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)",
            sourceLocation: sourceLocation)
    }
}
