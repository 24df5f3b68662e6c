extension CronParser {
    /// `L`, `L-N`, `LW`, `NW` (and croniter's `WN`). Returns false for anything else.
    func parseDayOfMonthSpecial(
        _ text: String, _ term: Term, _ fields: inout CronFields
    ) throws(CronSyntaxError) -> Bool {
        if text == "l" {
            fields.daysBeforeLast |= 1
            return true
        }
        if text == "lw" {
            fields.lastWeekdayOfMonth = true
            return true
        }
        if text.hasPrefix("l-") {
            let digits = String(text.dropFirst(2))
            guard let n = Int(digits), digits.isASCIIDigits, n <= 30 else {
                throw term.error(
                    "'\(term.text)' is not L-N with N 0-30 (days before the last day of the month)")
            }
            fields.daysBeforeLast |= 1 << UInt64(n)
            return true
        }
        let isSuffixW = text.hasSuffix("w") && text.count > 1
        let isPrefixW = text.hasPrefix("w") && text.count > 1
        if isSuffixW || isPrefixW {
            let digits = isSuffixW ? String(text.dropLast()) : String(text.dropFirst())
            guard digits.isASCIIDigits else { return false }
            let day = try value(digits, term, offset: isPrefixW ? 1 : 0)
            fields.nearestWeekdays |= 1 << UInt64(day)
            return true
        }
        if text.utf8.contains(UInt8(ascii: "l")) || text.utf8.contains(UInt8(ascii: "w")) {
            throw term.error(
                "'\(term.text)' is not a day-of-month form; expected L, L-N, LW, NW, a number 1-31, a range or a step")
        }
        return false
    }

    /// `NL`, `LN` (last weekday N of the month) and `N#K` (K-th weekday N).
    func parseDayOfWeekSpecial(
        _ text: String, _ term: Term, _ fields: inout CronFields
    ) throws(CronSyntaxError) -> Bool {
        if let hash = text.firstIndex(of: "#") {
            let dayText = String(text[..<hash])
            let nthText = String(text[text.index(after: hash)...])
            let weekday = try value(dayText, term, offset: 0) % 7
            guard let nth = Int(nthText), nthText.isASCIIDigits, (1...5).contains(nth) else {
                throw term.error(
                    "'#\(nthText)' in '\(term.text)' must be #1 to #5 (the K-th weekday of the month)",
                    at: dayText.utf8.count, text: nthText)
            }
            fields.nthDaysOfWeek |= 1 << UInt64((nth - 1) * 7 + weekday)
            return true
        }
        guard text.utf8.contains(UInt8(ascii: "l")) else { return false }
        if text == "l" {
            throw term.error("'L' in day-of-week needs a weekday: 5L or L5 is the last Friday of the month")
        }
        let dayText: String
        let offset: Int
        if text.hasSuffix("l") {
            dayText = String(text.dropLast())
            offset = 0
        } else if text.hasPrefix("l") {
            dayText = String(text.dropFirst())
            offset = 1
        } else {
            throw term.error("'\(term.text)' is not a day-of-week form; expected NL, LN, N#K, a day, a range or a step")
        }
        let weekday = try value(dayText, term, offset: offset) % 7
        fields.lastDaysOfWeek |= 1 << UInt64(weekday)
        return true
    }
}
