/// Frappe's scheduler frequencies: the keys of `scheduler_events`, also usable as an
/// event's `schedule:`.
///
/// | name | cron | queue |
/// |---|---|---|
/// | `all` | every `schedulerInterval` (240 s: `*/4 * * * *`) | default |
/// | `hourly` / `hourly_long` / `hourly_maintenance` | `0 * * * *` | default / long / long |
/// | `daily` / `daily_long` / `daily_maintenance` | `0 0 * * *` | default / long / long |
/// | `weekly` / `weekly_long` | `0 0 * * 0` | default / long |
/// | `monthly` / `monthly_long` | `0 0 1 * *` | default / long |
/// | `yearly`, `annual` | `0 0 1 1 *` | default |
/// | `cron` | the expression | default |
public enum Frequency: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every scheduler interval (Frappe's `scheduler_interval`, default 4 minutes).
    case all
    /// `0 * * * *`, queue default.
    case hourly
    /// `0 * * * *`, queue long.
    case hourlyLong = "hourly_long"
    /// `0 * * * *`, queue long.
    case hourlyMaintenance = "hourly_maintenance"
    /// `0 0 * * *`, queue default.
    case daily
    /// `0 0 * * *`, queue long.
    case dailyLong = "daily_long"
    /// `0 0 * * *`, queue long.
    case dailyMaintenance = "daily_maintenance"
    /// `0 0 * * 0` (Sunday midnight), queue default.
    case weekly
    /// `0 0 * * 0`, queue long.
    case weeklyLong = "weekly_long"
    /// `0 0 1 * *`, queue default.
    case monthly
    /// `0 0 1 * *`, queue long.
    case monthlyLong = "monthly_long"
    /// `0 0 1 1 *`, queue default.
    case yearly
    /// The same as ``yearly``.
    case annual
    /// A map from cron expression to jobs; not a schedule by itself.
    case cron

    /// The name as a schedule file writes it (`daily_long`).
    public var description: String { rawValue }

    /// The queue the frequency's jobs go to unless the event or job names one.
    public var queue: String {
        switch self {
        case .hourlyLong, .hourlyMaintenance, .dailyLong, .dailyMaintenance, .weeklyLong, .monthlyLong: "long"
        default: "default"
        }
    }

    /// The frequency's cron expression, or `nil` for ``cron`` (which has none) and for
    /// ``all`` with an interval that cron cannot express (see ``everyInterval(_:)``).
    ///
    /// - Parameter schedulerInterval: The period of ``all``, in seconds.
    public func cronText(schedulerInterval: Int) -> String? {
        switch self {
        case .all: Self.everyInterval(schedulerInterval)
        case .hourly, .hourlyLong, .hourlyMaintenance: "0 * * * *"
        case .daily, .dailyLong, .dailyMaintenance: "0 0 * * *"
        case .weekly, .weeklyLong: "0 0 * * 0"
        case .monthly, .monthlyLong: "0 0 1 * *"
        case .yearly, .annual: "0 0 1 1 *"
        case .cron: nil
        }
    }

    /// A cron expression firing every `seconds`, aligned to the clock: a seconds-field
    /// step for divisors of a minute (`*/30 * * * * *`), a minute step for whole minutes
    /// dividing an hour (`*/4 * * * *`), an hour step for whole hours dividing a day
    /// (`0 */2 * * *`). Any other interval (`100`, `7 min`) has no evenly spaced cron
    /// form and gives `nil`.
    public static func everyInterval(_ seconds: Int) -> String? {
        guard seconds > 0 else { return nil }
        if seconds < 60 {
            guard 60 % seconds == 0 else { return nil }
            return seconds == 1 ? "* * * * * *" : "*/\(seconds) * * * * *"
        }
        guard seconds % 60 == 0 else { return nil }
        let minutes = seconds / 60
        if minutes < 60 {
            guard 60 % minutes == 0 else { return nil }
            return minutes == 1 ? "* * * * *" : "*/\(minutes) * * * *"
        }
        guard minutes % 60 == 0 else { return nil }
        let hours = minutes / 60
        if hours < 24 {
            guard 24 % hours == 0 else { return nil }
            return hours == 1 ? "0 * * * *" : "0 */\(hours) * * *"
        }
        return hours == 24 ? "0 0 * * *" : nil
    }
}
