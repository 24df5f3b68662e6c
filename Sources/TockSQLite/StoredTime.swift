import Foundation

/// How the SQLite backend stores times: whole microseconds since 1970-01-01 UTC, as
/// `INTEGER` (exact, compared and indexed as integers, readable in the `sqlite3` shell
/// with `datetime(x / 1e6, 'unixepoch', 'subsec')`).
///
/// What is lost: anything finer than a microsecond (a `Date` holds about a tenth of one).
/// The backend rounds every `now` it is given and every time in a job it stores, and
/// returns the rounded values, so a job read back equals the job the backend returned.
enum StoredTime {
    /// Microseconds since the epoch, rounded to the nearest; clamped to the `Int64` range.
    static func microseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite else { return value < 0 ? .min : .max }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// The date `microseconds` after the epoch.
    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// `date` as it reads back from the database.
    static func rounded(_ date: Date) -> Date { self.date(microseconds(date)) }

    /// `date` as it reads back from the database.
    static func rounded(_ date: Date?) -> Date? { date.map(rounded) }
}
