/// A parsed cron expression: immutable, cheap to copy, safe to share.
///
/// Accepts 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first) or
/// 7 (seconds first, year last), the macros `@yearly`, `@annually`, `@monthly`,
/// `@weekly`, `@daily`, `@midnight`, `@hourly` and `@reboot`, and the extended terms
/// of `docs/cron.md`. Evaluate it in a time zone with ``CronSchedule``.
///
/// ```swift
/// let expression = try CronExpression("30 2 * * *")
/// let schedule = CronSchedule(expression, timeZone: CronTimeZone(identifier: "Europe/Berlin")!)
/// let next = schedule.next(after: .now)
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    /// `@reboot`: fires once per machine boot, never on the calendar.
    public let isReboot: Bool
    /// The expression has a seconds field (6 or 7 fields).
    public let hasSeconds: Bool
    /// Minute and hour fields both name fixed values (neither starts with `*`): such a
    /// schedule is matched on the wall clock across daylight-saving changes; every other
    /// schedule follows elapsed time. See `docs/cron.md`.
    public let isFixedTime: Bool
    /// The name `H` terms were hashed from, if any.
    public let hashKey: String?

    let fields: CronFields
    /// The field texts after macro expansion, for descriptions.
    let fieldTexts: FieldTexts

    /// Parses `text`.
    ///
    /// - Parameters:
    ///   - text: The expression.
    ///   - hashKey: The event name that `H` terms hash (croniter's `hash_id`). An
    ///     expression that uses `H` without one is an error.
    /// - Throws: ``CronSyntaxError`` naming the field, the text and its column, also for
    ///   a schedule that can never fire (`0 0 30 2 *`).
    public init(_ text: String, hashKey: String? = nil) throws(CronSyntaxError) {
        self.text = text
        self.hashKey = hashKey
        if text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "@") {
            let trimmed = text.trimmingASCIIWhitespace()
            guard let expansion = Self.macros[trimmed.lowercased()] else {
                throw CronSyntaxError(
                    field: nil, text: trimmed, column: 1 + (text.utf8.count - text.drop { $0 == " " || $0 == "\t" }.utf8.count),
                    reason: "unknown macro '\(trimmed)'; expected @yearly, @annually, @monthly, @weekly, "
                        + "@daily, @midnight, @hourly or @reboot")
            }
            isReboot = expansion.isEmpty
            let parsed = try Self.parse(isReboot ? "0 0 1 1 *" : expansion, hashKey: hashKey)
            fields = parsed.fields
            fieldTexts = parsed.texts
            hasSeconds = false
            isFixedTime = !isReboot && parsed.fixed
            return
        }
        let parsed = try Self.parse(text, hashKey: hashKey)
        fields = parsed.fields
        fieldTexts = parsed.texts
        isReboot = false
        hasSeconds = parsed.texts[.second] != nil
        isFixedTime = parsed.fixed
        try checkCanFire(parsed.pieces)
    }

    public var description: String { text }

    public static func == (a: CronExpression, b: CronExpression) -> Bool {
        a.text == b.text && a.hashKey == b.hashKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(hashKey)
    }

    /// Macro → expansion; `@reboot` expands to nothing.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *", "@reboot": "",
    ]

    private static func parse(
        _ text: String, hashKey: String?
    ) throws(CronSyntaxError) -> (fields: CronFields, texts: FieldTexts, fixed: Bool, pieces: [CronParser.FieldText]) {
        let pieces = try CronParser.split(text)
        let fields = try CronParser(hashKey: hashKey).parse(pieces)
        var texts = FieldTexts()
        for piece in pieces { texts[piece.field] = piece.text }
        let fixed = !(texts[.minute]!.hasPrefix("*")) && !(texts[.hour]!.hasPrefix("*"))
        return (fields, texts, fixed, pieces)
    }

    /// Rejects a schedule whose day, month (and year) fields never meet: the calendar
    /// repeats every 400 years, so a schedule without a fire in 400 years has none.
    private func checkCanFire(_ pieces: [CronParser.FieldText]) throws(CronSyntaxError) {
        let firstYear = fields.years == nil ? 2000 : YearSet.first
        let lastYear = fields.years == nil ? 2399 : YearSet.last
        if WallClockSearch(fields: fields).firstDay(fromYear: firstYear, throughYear: lastYear) { return }
        let day = pieces.first { $0.field == .dayOfMonth }!
        let month = fieldTexts[.month]!
        var reason = "day-of-month \(day.text) never falls in month \(month)"
        if !fields.daysMustMatchBoth || fieldTexts[.dayOfWeek] != "*" {
            reason += " with day-of-week \(fieldTexts[.dayOfWeek]!)"
        }
        if let years = fieldTexts[.year] { reason += " in year \(years)" }
        throw CronSyntaxError(
            field: .dayOfMonth, text: day.text, column: day.column,
            reason: reason + "; this schedule can never fire")
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let reversed = scalars.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(String.UnicodeScalarView(reversed.reversed()))
    }
}
