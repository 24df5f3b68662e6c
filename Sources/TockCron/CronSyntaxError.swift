/// A cron expression that cannot be parsed, or that can never fire.
///
/// It names the field, the offending text, its column (1-based, in the expression as
/// written) and what would have been accepted:
/// `minute field: 61 is out of range 0-59 (column 1)`.
public struct CronSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, or `nil` when the expression as a whole is wrong
    /// (a wrong number of fields, an unknown macro).
    public var field: CronField?
    /// The offending text: a term, a value, or the whole expression.
    public var text: String
    /// 1-based column of `text` in the expression.
    public var column: Int
    /// What was wrong, without the field and column: `61 is out of range 0-59`.
    public var reason: String

    public init(field: CronField?, text: String, column: Int, reason: String) {
        self.field = field
        self.text = text
        self.column = column
        self.reason = reason
    }

    /// The one-line message: `minute field: 61 is out of range 0-59 (column 1)`.
    public var description: String {
        if let field {
            return "\(field) field: \(reason) (column \(column))"
        }
        return "\(reason) (column \(column))"
    }
}
