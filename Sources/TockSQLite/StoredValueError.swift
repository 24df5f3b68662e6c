/// A stored value the backend cannot read back (a row written by something else, or
/// damaged): which row and column, and what was wrong. Reported to callers as
/// ``TockCore/TockError/backendUnavailable(_:detail:)``.
struct StoredValueError: Error, CustomStringConvertible {
    var row: String
    var column: String
    var detail: String

    var description: String { "\(row) has an unreadable \(column): \(detail)" }
}
