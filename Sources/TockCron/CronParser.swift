/// Turns the text of one cron expression into `CronFields`.
///
/// Works on ASCII bytes so that every error can name its exact column.
struct CronParser {
    /// One whitespace-separated field of the expression.
    struct FieldText {
        var field: CronField
        var bytes: ArraySlice<UInt8>
        /// 1-based column of the field's first character.
        var column: Int
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let hashKey: String?

    /// The fields of `text` in seven-field order (seconds and year optional).
    static func split(_ text: String) throws(CronSyntaxError) -> [FieldText] {
        let bytes = Array(text.utf8)
        var pieces: [(ArraySlice<UInt8>, Int)] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x20 || bytes[index] == 0x09 {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x09 {
                if bytes[index] >= 0x80 || bytes[index] < 0x20 {
                    throw CronSyntaxError(
                        field: nil, text: text, column: index + 1,
                        reason: "unexpected character in '\(text)'; cron expressions are plain ASCII")
                }
                index += 1
            }
            pieces.append((bytes[start..<index], start + 1))
        }
        let layout: [CronField]
        switch pieces.count {
        case 5: layout = [.minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        case 6: layout = [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek]
        case 7: layout = [.second, .minute, .hour, .dayOfMonth, .month, .dayOfWeek, .year]
        default:
            throw CronSyntaxError(
                field: nil, text: text, column: 1,
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first) "
                    + "or 7 (seconds first, year last), found \(pieces.count) in '\(text)'")
        }
        return zip(layout, pieces).map { FieldText(field: $0, bytes: $1.0, column: $1.1) }
    }

    /// Parses every field into `fields`.
    func parse(_ pieces: [FieldText]) throws(CronSyntaxError) -> CronFields {
        var fields = CronFields()
        var domStar = false
        var dowStar = false
        for piece in pieces {
            let first = piece.bytes.first
            let startsWithStar = first == UInt8(ascii: "*") || first == UInt8(ascii: "?")
            var values: UInt64 = 0
            var years = YearSet()
            // Split on commas, keeping each term's column.
            var start = piece.bytes.startIndex
            var end = start
            while end <= piece.bytes.endIndex {
                if end == piece.bytes.endIndex || piece.bytes[end] == UInt8(ascii: ",") {
                    let term = Term(
                        field: piece.field, bytes: piece.bytes[start..<end],
                        column: piece.column + (start - piece.bytes.startIndex), fieldText: piece.text)
                    try parseTerm(term, into: &fields, values: &values, years: &years)
                    start = end + 1
                }
                end += 1
            }
            switch piece.field {
            case .second: fields.seconds = values
            case .minute: fields.minutes = values
            case .hour: fields.hours = values
            case .dayOfMonth:
                fields.daysOfMonth = values
                domStar = startsWithStar
            case .month: fields.months = values
            case .dayOfWeek:
                // 7 is Sunday too.
                fields.daysOfWeek = (values & 0x7F) | (values >> 7 & 1)
                dowStar = startsWithStar
            case .year: fields.years = years
            }
        }
        fields.daysMustMatchBoth = domStar || dowStar
        fields.everyDay =
            fields.daysMustMatchBoth && fields.daysOfMonth == UInt64.range(1, 31) && fields.daysOfWeek == 0x7F
            && fields.daysBeforeLast == 0 && fields.nearestWeekdays == 0 && !fields.lastWeekdayOfMonth
            && fields.lastDaysOfWeek == 0 && fields.nthDaysOfWeek == 0
        return fields
    }
}

/// One comma-separated term of a field, with what errors need to point at it.
struct Term {
    var field: CronField
    var bytes: ArraySlice<UInt8>
    var column: Int
    var fieldText: String
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func error(_ reason: String, at offset: Int = 0, text: String? = nil) -> CronSyntaxError {
        CronSyntaxError(field: field, text: text ?? self.text, column: column + offset, reason: reason)
    }

    /// The column offset of `index` within this term.
    func offset(of index: Int) -> Int { index - bytes.startIndex }
}
