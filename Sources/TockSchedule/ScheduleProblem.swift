/// One thing wrong with a schedule file: where, how bad, and what was expected.
///
/// Problems sort by file, line and column (then errors before warnings), which is the
/// order `tock check` prints them in. ``description`` is the compiler-style line
/// `path:line:column: error: message`.
public struct ScheduleProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The file is wrong; a load with any error has failed.
        case error
        /// Worth a look, but the schedule is usable as it stands.
        case warning
        /// Nothing wrong: how Tock reads a combination that surprises (not counted as a
        /// problem).
        case note

        /// Errors sort before warnings, warnings before notes.
        public static func < (a: Severity, b: Severity) -> Bool {
            a.rank < b.rank
        }

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    /// Error or warning.
    public var severity: Severity
    /// Where: the file, and the 1-based line and column (0 and 0 for a problem with the
    /// whole path, such as one that cannot be read).
    public var location: FileLocation
    /// What was wrong and what was expected, in one line.
    public var message: String

    /// A problem at `location`.
    public init(_ severity: Severity, at location: FileLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// The file's path, as given to the loader.
    public var file: String { location.file }
    /// 1-based line, or 0 for a problem with the whole path.
    public var line: Int { location.line }
    /// 1-based column, or 0 for a problem with the whole path.
    public var column: Int { location.column }

    /// Whether this problem makes the load fail.
    public var isError: Bool { severity == .error }

    /// `path:line:column: error: message` (`path: error: message` without a position).
    public var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }

    /// Orders by location, then errors before warnings, then message.
    public static func < (a: ScheduleProblem, b: ScheduleProblem) -> Bool {
        if a.location != b.location { return a.location < b.location }
        if a.severity != b.severity { return a.severity < b.severity }
        return a.message < b.message
    }
}
