/// A configuration that cannot be used: the file, where in it, what was wrong and what
/// is accepted.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, or `TOCK_X` for an environment variable, or `--flag`.
    public var source: String
    /// 1-based; 0 when unknown (environment, flags, whole file).
    public var line: Int
    public var column: Int
    public var message: String

    public init(source: String, line: Int = 0, column: Int = 0, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(source):\(line):\(column): \(message)" : "\(source): \(message)"
    }
}
