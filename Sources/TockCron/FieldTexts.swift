/// The text of each field of an expression as written (after macro expansion), for
/// descriptions and messages. Seven stored fields rather than a dictionary: parsing
/// 100,000 schedules should not hash 700,000 keys.
struct FieldTexts: Sendable, Hashable {
    private var second, minute, hour, dayOfMonth, month, dayOfWeek, year: String?

    subscript(field: CronField) -> String? {
        get {
            switch field {
            case .second: second
            case .minute: minute
            case .hour: hour
            case .dayOfMonth: dayOfMonth
            case .month: month
            case .dayOfWeek: dayOfWeek
            case .year: year
            }
        }
        set {
            switch field {
            case .second: second = newValue
            case .minute: minute = newValue
            case .hour: hour = newValue
            case .dayOfMonth: dayOfMonth = newValue
            case .month: month = newValue
            case .dayOfWeek: dayOfWeek = newValue
            case .year: year = newValue
            }
        }
    }
}
