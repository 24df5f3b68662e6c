import Foundation
import Testing

/// Runs `body` with environment variables set (or, for `nil`, unset), then restores them.
///
/// The process environment is global: only tests in ``ProcessEnvironmentTests`` (a
/// serialized suite) call this.
func withEnvironment<T>(_ values: [String: String?], _ body: () throws -> T) rethrows -> T {
    var saved: [String: String?] = [:]
    for (name, value) in values {
        saved[name] = getenv(name).map { String(cString: $0) }
        set(name, value)
    }
    defer {
        for (name, value) in saved { set(name, value) }
    }
    return try body()
}

private func set(_ name: String, _ value: String?) {
    if let value {
        setenv(name, value, 1)
    } else {
        unsetenv(name)
    }
}

/// Every test that changes the process environment or starts processes, one at a time.
@Suite(.serialized)
enum ProcessEnvironmentTests {}
