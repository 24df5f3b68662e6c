/// One field of a cron expression, in the order of a seven-field expression.
public enum CronField: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case second, minute, hour, dayOfMonth, month, dayOfWeek, year

    /// The field's name as it appears in error messages: `minute`, `day-of-month`, ….
    public var description: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        case .year: "year"
        }
    }

    /// The smallest value the field accepts.
    public var minimum: Int {
        switch self {
        case .second, .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        case .year: 1970
        }
    }

    /// The largest value the field accepts (7 for day-of-week, where 0 and 7 are Sunday).
    public var maximum: Int {
        switch self {
        case .second, .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        case .year: 2199
        }
    }

    /// The index croniter gives this field when it hashes `H` (its internal order puts
    /// minute first and the seconds field sixth), so that `H` picks the value croniter
    /// would pick for the same `hash_id`.
    var croniterHashIndex: Int {
        switch self {
        case .minute: 0
        case .hour: 1
        case .dayOfMonth: 2
        case .month: 3
        case .dayOfWeek: 4
        case .second: 5
        case .year: 6
        }
    }

    /// Three-letter names the field accepts, indexed from `minimum`.
    var names: [String] {
        switch self {
        case .month: Self.monthNames
        case .dayOfWeek: Self.weekdayNames
        default: []
        }
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
}
