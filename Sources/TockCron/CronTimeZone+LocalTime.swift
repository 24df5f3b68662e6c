/// A wall-clock reading in a time zone, to the second.
public struct LocalTime: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// The UTC offset in seconds in force at that moment (0 when this is an input that
    /// has not been placed on the time line yet).
    public var offset: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, offset: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second, self.offset) =
            (year, month, day, hour, minute, second, offset)
    }

    /// Whether the date exists in the calendar and the time on a clock.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
    }

    /// Seconds since 1970-01-01T00:00:00 of this wall clock (ignores `offset`).
    var wallSeconds: Int {
        CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// `2026-03-29T03:00:00+02:00` (ISO 8601 with the offset; `Z` never used).
    public var iso8601: String {
        "\(date)T\(time)\(Self.offsetText(offset, separator: ":"))"
    }

    /// `2026-03-29 03:00:00 +02:00`, for people.
    public var description: String {
        "\(date) \(time) \(Self.offsetText(offset, separator: ":"))"
    }

    private var date: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }
    private var time: String { "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))" }

    static func offsetText(_ offset: Int, separator: String) -> String {
        let magnitude = abs(offset)
        var text = (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + separator + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += separator + pad(magnitude % 60, 2) }
        return text
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension CronTimeZone {
    /// The wall clock of this zone at `instant` (seconds since the epoch).
    public func localTime(at instant: Int) -> LocalTime {
        let offset = offset(at: instant)
        let (days, secondOfDay) = CivilDate.floorDivide(instant + offset, 86_400)
        let (year, month, day) = CivilDate.date(days: days)
        return LocalTime(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60, offset: offset)
    }

    /// The first instant at which this zone's wall clock shows `local` (its `offset` is
    /// ignored). A time that falls in a spring-forward gap gives the first instant after
    /// the gap; a time shown twice gives the earlier instant.
    public func instant(showing local: LocalTime) -> Int {
        storage.firstInstant(showing: local.wallSeconds)
    }

    /// `2026-03-29T01:00:00Z` for an instant.
    public static func utcISO8601(_ instant: Int) -> String {
        var text = CronTimeZone.utc.localTime(at: instant).iso8601
        text.removeLast(6)
        return text + "Z"
    }
}
