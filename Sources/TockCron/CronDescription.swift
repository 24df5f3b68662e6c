extension CronExpression {
    /// A one-line English description: `every 15 minutes`, `at 02:30 every day`,
    /// `at 02:30 on the last Friday of the month`.
    public var summary: String {
        if isReboot { return "once at every boot" }
        var describer = CronDescriber(expression: self)
        return describer.describe()
    }
}

/// Builds ``CronExpression/summary`` from the parsed fields and, for steps, the text.
struct CronDescriber {
    let expression: CronExpression
    var fields: CronFields { expression.fields }

    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = [
        "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]
    static let ordinals = ["first", "second", "third", "fourth", "fifth"]

    mutating func describe() -> String {
        let time = timePart()
        var parts = [time.text]
        let days = dayPart()
        if let days { parts.append(days) }
        if fields.months != UInt64.range(1, 12) {
            parts.append("in " + Self.list(Self.members(fields.months)) { Self.monthNames[$0] })
        }
        if let years = fields.years, expression.fieldTexts[.year] != "*" {
            parts.append("in " + Self.list(years.members) { String($0) })
        }
        if days == nil, time.isClockTimes, fields.months == UInt64.range(1, 12) {
            parts.append("every day")
        }
        return parts.joined(separator: " ")
    }

    /// `at 02:30`, `every 15 minutes`, `at minute 5 past every hour`, ….
    private func timePart() -> (text: String, isClockTimes: Bool) {
        let seconds = Self.members(fields.seconds)
        let minutes = Self.members(fields.minutes)
        let hours = Self.members(fields.hours)
        let secondText = expression.fieldTexts[.second]
        if seconds.count == 1, minutes.count * hours.count <= 4 {
            let times = hours.flatMap { h in minutes.map { m in Self.clock(h, m, expression.hasSeconds ? seconds[0] : nil) } }
            return ("at " + Self.join(times), true)
        }
        var text: String
        if let secondText, seconds.count > 1 || minutes.count > 1 {
            text = Self.every(secondText, unit: "second", values: seconds, of: "minute")
            if minutes.count < 60 { text += " " + Self.during(expression.fieldTexts[.minute]!, minutes, unit: "minute") }
        } else {
            let minuteText = expression.fieldTexts[.minute]!
            if minutes.count == 1 {
                let second = expression.hasSeconds && seconds[0] != 0 ? ":\(Self.two(seconds[0]))" : ""
                text = "at minute \(minutes[0])\(second) past"
                text += hours.count == 24 ? " every hour" : ""
            } else {
                text = Self.every(minuteText, unit: "minute", values: minutes, of: "hour")
            }
        }
        if hours.count < 24 {
            let hourText = expression.fieldTexts[.hour]!
            if let step = Self.step(hourText), hourText.hasPrefix("*") {
                text += minutes.count == 1 ? " every \(step) hours" : " during every \(step)th hour"
            } else {
                text += (minutes.count == 1 ? " hour " : " during hour ")
                    + Self.list(hours) { String($0) }
            }
        }
        return (text, false)
    }

    /// `on the last Friday of the month`, `on day 1 of the month or on Monday`, or nil for every day.
    private func dayPart() -> String? {
        var domParts: [String] = []
        let plainDays = Self.members(fields.daysOfMonth)
        let domTextIsStar = expression.fieldTexts[.dayOfMonth]!.hasPrefix("*") || expression.fieldTexts[.dayOfMonth] == "?"
        if !(domTextIsStar && plainDays.count == 31) && !plainDays.isEmpty {
            if let step = Self.step(expression.fieldTexts[.dayOfMonth]!), domTextIsStar {
                domParts.append("every \(step) days")
            } else {
                domParts.append("on day " + Self.list(plainDays) { String($0) } + " of the month")
            }
        }
        for n in Self.members(fields.daysBeforeLast) {
            domParts.append(n == 0 ? "on the last day of the month" : "\(n) days before the last day of the month")
        }
        for day in Self.members(fields.nearestWeekdays) {
            domParts.append("on the weekday nearest day \(day) of the month")
        }
        if fields.lastWeekdayOfMonth { domParts.append("on the last weekday of the month") }

        var dowParts: [String] = []
        let weekdays = Self.members(fields.daysOfWeek)
        if weekdays.count < 7, !weekdays.isEmpty {
            if weekdays == [1, 2, 3, 4, 5] {
                dowParts.append("on weekdays")
            } else {
                dowParts.append("on " + Self.list(weekdays) { Self.weekdayNames[$0] })
            }
        }
        for weekday in Self.members(fields.lastDaysOfWeek) {
            dowParts.append("on the last \(Self.weekdayNames[weekday]) of the month")
        }
        for bit in Self.members(fields.nthDaysOfWeek) {
            dowParts.append("on the \(Self.ordinals[bit / 7]) \(Self.weekdayNames[bit % 7]) of the month")
        }
        let dom = Self.join(domParts, conjunction: "or")
        let dow = Self.join(dowParts, conjunction: "or")
        switch (dom.isEmpty, dow.isEmpty) {
        case (true, true): return nil
        case (false, true): return dom
        case (true, false): return dow
        case (false, false):
            return fields.daysMustMatchBoth ? "\(dom) if it is \(dow.dropFirst(3))" : "\(dom) or \(dow)"
        }
    }

    // MARK: - Helpers

    /// `every 15 minutes`, `every minute`, `at minutes 0, 10 and 45 past the hour`.
    private static func every(_ text: String, unit: String, values: [Int], of parent: String) -> String {
        if values.count == 60 { return "every \(unit)" }
        if let step = step(text), text.hasPrefix("*") {
            return "every \(step) \(unit)s"
        }
        return "at \(unit)s " + list(values) { String($0) } + " past the \(parent)"
    }

    private static func during(_ text: String, _ values: [Int], unit: String) -> String {
        "during \(unit) " + list(values) { String($0) }
    }

    private static func step(_ text: String) -> Int? {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        return Int(text[text.index(after: slash)...])
    }

    static func members(_ bits: UInt64) -> [Int] {
        var bits = bits
        var result: [Int] = []
        while bits != 0 {
            result.append(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        return result
    }

    /// Consecutive runs of three or more become ranges: `1-5 and 9`.
    static func list(_ values: [Int], name: (Int) -> String) -> String {
        var pieces: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            if end - index >= 2 {
                pieces.append("\(name(values[index]))-\(name(values[end]))")
            } else {
                pieces.append(contentsOf: values[index...end].map(name))
            }
            index = end + 1
        }
        return join(pieces)
    }

    static func join(_ pieces: [String], conjunction: String = "and") -> String {
        switch pieces.count {
        case 0: ""
        case 1: pieces[0]
        default: pieces.dropLast().joined(separator: ", ") + " \(conjunction) " + pieces.last!
        }
    }

    static func clock(_ hour: Int, _ minute: Int, _ second: Int?) -> String {
        "\(two(hour)):\(two(minute))" + (second.map { ":\(two($0))" } ?? "")
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
