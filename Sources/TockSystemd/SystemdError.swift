#if canImport(Glibc)
import Glibc
#endif

/// A libsystemd call that failed: which one, and the `errno` it returned.
///
/// libsystemd reports failures as negative `errno` values; this keeps the positive code and
/// the operation so that a caller can log one useful line (`sd_notify: Connection refused`).
public struct SystemdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The libsystemd function that failed, e.g. `sd_notify`.
    public var operation: String
    /// The `errno` value (positive), e.g. `ECONNREFUSED`.
    public var code: Int32

    /// - Parameters:
    ///   - operation: The libsystemd function that failed.
    ///   - code: The `errno` value; a negative libsystemd return value is turned positive.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code == Int32.min ? Int32.max : abs(code)
    }

    /// `operation: strerror(code)`.
    public var description: String {
        "\(operation): \(String(cString: strerror(code)))"
    }
}
