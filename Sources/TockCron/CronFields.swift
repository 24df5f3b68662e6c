/// The parsed form of a cron expression: one bit set per field plus the special
/// day forms. Everything `next`/`previous` needs, in values that never allocate.
struct CronFields: Sendable, Hashable {
    var seconds: UInt64 = 1
    var minutes: UInt64 = 0
    var hours: UInt64 = 0
    /// Plain days of the month, bits 1...31.
    var daysOfMonth: UInt64 = 0
    /// `L-n`: bit n set means "n days before the last day" (`L` is n = 0).
    var daysBeforeLast: UInt64 = 0
    /// `NW`: bit N set means "the weekday nearest to day N".
    var nearestWeekdays: UInt64 = 0
    /// `LW`: the last weekday (Monday–Friday) of the month.
    var lastWeekdayOfMonth = false
    var months: UInt64 = 0
    /// Plain days of the week, bits 0...6 (0 = Sunday).
    var daysOfWeek: UInt64 = 0
    /// `NL` / `LN`: bit N set means "the last weekday N of the month".
    var lastDaysOfWeek: UInt64 = 0
    /// `N#K`: bit (K-1)*7+N set means "the K-th weekday N of the month".
    var nthDaysOfWeek: UInt64 = 0
    /// `nil` when the expression has no year field.
    var years: YearSet?
    /// Cronie's rule: when either day field's text starts with `*` (or is `?`), a day
    /// must match both fields; otherwise it may match either.
    var daysMustMatchBoth = true
    /// Both day fields accept every day: the day mask is the whole month.
    var everyDay = false

    /// The days of `month` in `year` that match, as bits 1...31.
    @inline(__always)
    func dayMask(year: Int, month: Int) -> UInt64 {
        let length = CivilDate.daysInMonth(year: year, month: month)
        let valid = UInt64.range(1, length)
        if everyDay { return valid }
        let firstDay = CivilDate.days(year: year, month: month, day: 1)
        let firstWeekday = CivilDate.weekday(days: firstDay)
        let lastWeekday = (firstWeekday + length - 1) % 7

        var dom = daysOfMonth & valid
        if daysBeforeLast != 0 {
            var bits = daysBeforeLast
            while bits != 0 {
                let n = bits.trailingZeroBitCount
                bits &= bits - 1
                if length - n >= 1 { dom |= 1 << UInt64(length - n) }
            }
        }
        if nearestWeekdays != 0 {
            var bits = nearestWeekdays
            while bits != 0 {
                let day = bits.trailingZeroBitCount
                bits &= bits - 1
                dom |= 1 << UInt64(Self.nearestWeekday(to: day, length: length, firstWeekday: firstWeekday))
            }
        }
        if lastWeekdayOfMonth {
            let day = lastWeekday == 0 ? length - 2 : lastWeekday == 6 ? length - 1 : length
            dom |= 1 << UInt64(day)
        }

        // Weekday w falls on days d with (firstWeekday + d - 1) % 7 == w: rotate the
        // 7-bit pattern so bit 0 is the first of the month, then repeat it five times.
        let pattern = daysOfWeek & 0x7F
        let rotated = ((pattern >> UInt64(firstWeekday)) | (pattern << UInt64(7 - firstWeekday))) & 0x7F
        let repeated = rotated | rotated << 7 | rotated << 14 | rotated << 21 | rotated << 28
        var dow = (repeated << 1) & valid
        if lastDaysOfWeek != 0 {
            var bits = lastDaysOfWeek
            while bits != 0 {
                let weekday = bits.trailingZeroBitCount
                bits &= bits - 1
                dow |= 1 << UInt64(length - (lastWeekday - weekday + 7) % 7)
            }
        }
        if nthDaysOfWeek != 0 {
            var bits = nthDaysOfWeek
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits - 1
                let day = 1 + (bit % 7 - firstWeekday + 7) % 7 + 7 * (bit / 7)
                if day <= length { dow |= 1 << UInt64(day) }
            }
        }
        return daysMustMatchBoth ? dom & dow : dom | dow
    }

    /// The weekday nearest to `day` that does not leave the month (as cron's `W`);
    /// a day past the month's end counts as its last day (as croniter).
    static func nearestWeekday(to day: Int, length: Int, firstWeekday: Int) -> Int {
        let day = min(day, length)
        switch (firstWeekday + day - 1) % 7 {
        case 6: return day > 1 ? day - 1 : day + 2
        case 0: return day < length ? day + 1 : day - 2
        default: return day
        }
    }
}
