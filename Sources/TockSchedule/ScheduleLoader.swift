import Foundation

/// Reads schedule files into a ``ScheduleSet``, collecting every problem in every file.
///
/// Loading never throws and never stops at the first problem: a bad declaration is
/// reported (with its file, line and column) and left out, and the rest is still read
/// and checked, so `tock check` can show everything at once.
///
/// ```swift
/// let result = ScheduleLoader().load(paths: ["schedules"])
/// for problem in result.problems { print(problem) }  // path:line:col: error: …
/// guard !result.hasErrors else { exit(1) }
/// for event in result.schedules.events { … }
/// ```
public struct ScheduleLoader: Sendable {
    /// What the loader assumes about the service it loads for.
    public var options: Options

    /// A loader with `options`.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Loads the schedule files at `paths`.
    ///
    /// - Parameter paths: Files, or directories standing for the `*.yaml` and `*.yml`
    ///   files directly inside them (sorted by name; not recursive; names starting with
    ///   `.` are skipped). A file named twice is read once.
    /// - Returns: The events and jobs of every declaration without errors, and every
    ///   problem found, sorted by file, line and column.
    public func load(paths: [String]) -> ScheduleLoadResult {
        var session = LoadSession(options: options)
        let expansion = SourcePaths.expand(paths)
        session.problems += expansion.problems
        for file in expansion.files {
            switch SourcePaths.read(file) {
            case .text(let text): session.read(yaml: text, file: file)
            case .unreadable(let problem): session.problems.append(problem)
            }
        }
        return session.finish()
    }

    /// Loads schedule files given as text, in order, as if read from disk.
    ///
    /// - Parameter sources: Pairs of a path to report problems against and the file's
    ///   YAML text.
    /// - Returns: As ``load(paths:)``.
    public func load(sources: [(file: String, yaml: String)]) -> ScheduleLoadResult {
        var session = LoadSession(options: options)
        for source in sources {
            session.read(yaml: source.yaml, file: source.file)
        }
        return session.finish()
    }
}
