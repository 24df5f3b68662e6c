extension CronParser {
    /// Adds the values one term stands for to `values` (or `years`), or the special
    /// day forms to `fields`.
    func parseTerm(
        _ term: Term, into fields: inout CronFields, values: inout UInt64, years: inout YearSet
    ) throws(CronSyntaxError) {
        let field = term.field
        let lower = term.bytes.map(Self.lowercased)
        let text = String(decoding: lower, as: UTF8.self)
        guard !lower.isEmpty else {
            throw term.error("empty term in '\(term.fieldText)'; expected a value, range or '*'")
        }

        if text == "?" {
            guard field == .dayOfMonth || field == .dayOfWeek else {
                throw term.error("'?' is only allowed in day-of-month and day-of-week; use '*'")
            }
            values |= UInt64.range(field.minimum, field.maximum)
            return
        }
        if field == .dayOfMonth, try parseDayOfMonthSpecial(text, term, &fields) { return }
        if field == .dayOfWeek, try parseDayOfWeekSpecial(text, term, &fields) { return }

        var bits: UInt64 = 0
        let emit: (Int) -> Void = { value in
            if field == .year { years.insert(value) } else { bits |= 1 << UInt64(value) }
        }
        if lower[0] == UInt8(ascii: "h") {
            try hashedValues(text, term, emit)
        } else {
            try plainValues(text, term, emit)
        }
        values |= bits
    }

    /// `*`, `N`, `N-M`, each optionally `/S`; `N/S` means `N-max/S`; `N-M` with N > M wraps.
    private func plainValues(_ text: String, _ term: Term, _ emit: (Int) -> Void) throws(CronSyntaxError) {
        let field = term.field
        let (base, step) = try splitStep(text, term)
        // Every step-th value of the run, in the order of the field's cycle.
        var position = 0
        func visit(_ range: ClosedRange<Int>) {
            for value in range {
                if position % (step ?? 1) == 0 { emit(value) }
                position += 1
            }
        }
        if base == "*" {
            visit(field.minimum...field.maximum)
        } else if let dash = base.firstIndex(of: "-") {
            let lowText = String(base[..<dash])
            let highText = String(base[base.index(after: dash)...])
            let low = try value(lowText, term, offset: 0)
            let high = try value(highText, term, offset: lowText.utf8.count + 1)
            if low <= high {
                visit(low...high)
            } else {
                // A reversed range wraps around the field's cycle (fri-mon, 22-2).
                let cycleEnd = field == .dayOfWeek ? 6 : field.maximum
                guard field != .year else {
                    throw term.error("year range \(base) runs backwards; write the earlier year first")
                }
                visit(low...max(low, cycleEnd))
                visit(field.minimum...high)
            }
        } else {
            let start = try value(base, term, offset: 0)
            visit(start...(step == nil ? start : field.maximum))
        }
    }

    /// `H`, `H(a-b)`, `H/S`, `H(a-b)/S`: croniter's hashing of the event's name.
    private func hashedValues(_ text: String, _ term: Term, _ emit: (Int) -> Void) throws(CronSyntaxError) {
        let field = term.field
        guard let hashKey else {
            throw term.error("'\(term.text)' needs an event name to hash; H is only meaningful for a named event")
        }
        let (base, step) = try splitStep(text, term)
        var low = field.minimum
        var high = field == .dayOfWeek ? 6 : field.maximum
        if base != "h" {
            guard base.hasPrefix("h("), base.hasSuffix(")"), let dash = base.firstIndex(of: "-") else {
                throw term.error("'\(term.text)' is not a hash form; expected H, H(a-b), H/S or H(a-b)/S")
            }
            let lowText = String(base[base.index(base.startIndex, offsetBy: 2)..<dash])
            let highText = String(base[base.index(after: dash)..<base.index(before: base.endIndex)])
            low = try value(lowText, term, offset: 2)
            high = try value(highText, term, offset: 3 + lowText.utf8.count)
            guard low < high else {
                throw term.error("hash range \(lowText)-\(highText) must go from low to high")
            }
        }
        let hash = Int(CRC32.checksum(hashKey.utf8) >> UInt32(field.croniterHashIndex))
        guard let step else {
            return emit(low + hash % (high - low + 1))
        }
        // The offset is drawn from the first period, then steps to the end of the range.
        let firstPeriodEnd = min(low + step - 1, high)
        let start = low + hash % (firstPeriodEnd - low + 1)
        for value in stride(from: start, through: high, by: step) { emit(value) }
    }

    /// Splits `base/step`, checking the step.
    private func splitStep(_ text: String, _ term: Term) throws(CronSyntaxError) -> (String, Int?) {
        guard let slash = text.firstIndex(of: "/") else { return (text, nil) }
        let base = String(text[..<slash])
        let stepText = String(text[text.index(after: slash)...])
        let offset = base.utf8.count + 1
        guard !base.isEmpty else {
            throw term.error("nothing before '/' in '\(term.text)'; expected */S, N/S or N-M/S")
        }
        guard let step = Int(stepText), stepText.isASCIIDigits else {
            throw term.error("step '\(stepText)' is not a number", at: offset, text: stepText)
        }
        guard step >= 1 else {
            throw term.error("step 0 in '\(term.text)' must be at least 1", at: offset, text: stepText)
        }
        guard step <= term.field.maximum else {
            throw term.error(
                "step \(step) in '\(term.text)' is larger than the field's range \(term.field.minimum)-\(term.field.maximum)",
                at: offset, text: stepText)
        }
        return (base, step)
    }

    /// A number or a three-letter name, checked against the field's range.
    func value(_ text: String, _ term: Term, offset: Int) throws(CronSyntaxError) -> Int {
        let field = term.field
        if text.isEmpty {
            throw term.error("missing value in '\(term.text)'", at: offset)
        }
        if let index = field.names.firstIndex(of: text) {
            return field.minimum + index
        }
        guard text.isASCIIDigits, let number = Int(text) else {
            let names = field.names
            let expected =
                names.isEmpty
                ? "a number \(field.minimum)-\(field.maximum)"
                : "a number \(field.minimum)-\(field.maximum) or a name \(names.first!)-\(names.last!)"
            throw term.error("'\(text)' is not \(expected)", at: offset, text: text)
        }
        guard number >= field.minimum, number <= field.maximum else {
            throw term.error(
                "\(number) is out of range \(field.minimum)-\(field.maximum)", at: offset, text: text)
        }
        return number
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}

extension String {
    /// Non-empty and only `0`–`9`.
    var isASCIIDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
}
