/// Finds matching wall-clock times, ignoring time zones: the instant-free half of
/// `next`/`previous`. A wall time is counted in seconds since 1970-01-01T00:00:00 of
/// the same wall clock.
///
/// It jumps field by field (year → month → day → hour → minute → second) using bit
/// sets, so a search costs a handful of operations per field, never a step per minute.
struct WallClockSearch {
    let fields: CronFields

    /// How many years a search may look ahead before it gives up. The calendar repeats
    /// every 400 years; parsing rejects expressions that never fire.
    static let horizonYears = 400

    /// The first matching wall time `>= wall`, or `nil` if none within the horizon.
    func next(atOrAfter wall: Int) -> Int? {
        let (days, secondOfDay) = CivilDate.floorDivide(wall, 86_400)
        var (year, month, day) = CivilDate.date(days: days)
        var hour = secondOfDay / 3600
        var minute = secondOfDay / 60 % 60
        var second = secondOfDay % 60
        let limit = year + Self.horizonYears
        var maskYear = Int.min
        var maskMonth = 0
        var mask: UInt64 = 0

        while year <= limit {
            if let years = fields.years, !years.contains(year) {
                guard let nextYear = years.first(atOrAbove: year) else { return nil }
                (year, month, day, hour, minute, second) = (nextYear, 1, 1, 0, 0, 0)
            }
            guard let nextMonth = fields.months.firstMember(atOrAbove: month) else {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0)
                continue
            }
            if nextMonth != month { (month, day, hour, minute, second) = (nextMonth, 1, 0, 0, 0) }
            if maskYear != year || maskMonth != month {
                mask = fields.dayMask(year: year, month: month)
                (maskYear, maskMonth) = (year, month)
            }
            guard let nextDay = mask.firstMember(atOrAbove: day) else {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }
            if nextDay != day { (day, hour, minute, second) = (nextDay, 0, 0, 0) }
            guard let nextHour = fields.hours.firstMember(atOrAbove: hour) else {
                (day, hour, minute, second) = (day + 1, 0, 0, 0)
                continue
            }
            if nextHour != hour { (hour, minute, second) = (nextHour, 0, 0) }
            guard let nextMinute = fields.minutes.firstMember(atOrAbove: minute) else {
                (hour, minute, second) = (hour + 1, 0, 0)
                continue
            }
            if nextMinute != minute { (minute, second) = (nextMinute, 0) }
            guard let nextSecond = fields.seconds.firstMember(atOrAbove: second) else {
                (minute, second) = (minute + 1, 0)
                continue
            }
            second = nextSecond
            return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        }
        return nil
    }

    /// The last matching wall time `<= wall`, or `nil` if none within the horizon.
    func previous(atOrBelow wall: Int) -> Int? {
        let (days, secondOfDay) = CivilDate.floorDivide(wall, 86_400)
        var (year, month, day) = CivilDate.date(days: days)
        var hour = secondOfDay / 3600
        var minute = secondOfDay / 60 % 60
        var second = secondOfDay % 60
        let limit = year - Self.horizonYears
        var maskYear = Int.min
        var maskMonth = 0
        var mask: UInt64 = 0

        while year >= limit {
            if let years = fields.years, !years.contains(year) {
                guard let previousYear = years.last(atOrBelow: year) else { return nil }
                (year, month, day, hour, minute, second) = (previousYear, 12, 31, 23, 59, 59)
            }
            guard let previousMonth = fields.months.lastMember(atOrBelow: month) else {
                (year, month, day, hour, minute, second) = (year - 1, 12, 31, 23, 59, 59)
                continue
            }
            if previousMonth != month { (month, day, hour, minute, second) = (previousMonth, 31, 23, 59, 59) }
            if maskYear != year || maskMonth != month {
                mask = fields.dayMask(year: year, month: month)
                (maskYear, maskMonth) = (year, month)
            }
            guard let previousDay = mask.lastMember(atOrBelow: day) else {
                (month, day, hour, minute, second) = (month - 1, 31, 23, 59, 59)
                if month < 1 { (year, month) = (year - 1, 12) }
                continue
            }
            if previousDay != day { (day, hour, minute, second) = (previousDay, 23, 59, 59) }
            guard let previousHour = fields.hours.lastMember(atOrBelow: hour) else {
                (day, hour, minute, second) = (day - 1, 23, 59, 59)
                continue
            }
            if previousHour != hour { (hour, minute, second) = (previousHour, 59, 59) }
            guard let previousMinute = fields.minutes.lastMember(atOrBelow: minute) else {
                (hour, minute, second) = (hour - 1, 59, 59)
                continue
            }
            if previousMinute != minute { (minute, second) = (previousMinute, 59) }
            guard let previousSecond = fields.seconds.lastMember(atOrBelow: second) else {
                (minute, second) = (minute - 1, 59)
                continue
            }
            second = previousSecond
            return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        }
        return nil
    }

    /// Whether any day in `fromYear...throughYear` matches the day, month and year fields.
    func firstDay(fromYear: Int, throughYear: Int) -> Bool {
        for year in fromYear...throughYear where fields.years?.contains(year) ?? true {
            var months = fields.months
            while months != 0 {
                let month = months.trailingZeroBitCount
                months &= months - 1
                if fields.dayMask(year: year, month: month) != 0 { return true }
            }
        }
        return false
    }
}

extension YearSet {
    func contains(_ year: Int) -> Bool { first(atOrAbove: year) == year }
}
