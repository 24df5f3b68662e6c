/// A place in a schedule file: the file's path as given to the loader, and a 1-based
/// line and column (columns count Unicode scalars, as libYAML does).
public struct FileLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's path, as given to ``ScheduleLoader/load(paths:)`` (a file inside a
    /// directory is the directory path joined with the file name).
    public var file: String
    /// 1-based line; 0 when the location is a whole file or path.
    public var line: Int
    /// 1-based column; 0 when the location is a whole file or path.
    public var column: Int

    /// A location in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `path:line:column`, or just `path` for a whole-file location.
    public var description: String {
        line == 0 ? file : "\(file):\(line):\(column)"
    }

    /// Orders by file, then line, then column.
    public static func < (a: FileLocation, b: FileLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}
