import Foundation

/// How the backends store times: whole microseconds since 1970-01-01 UTC (SQLite as an
/// `INTEGER`, Redis in RQ's text form `…SS.ffffffZ`).
///
/// What is lost: anything finer than a microsecond (a `Date` holds about a tenth of one).
/// A backend rounds every `now` it is given and every time in a job it stores, and returns
/// the rounded values, so a job read back equals the job the backend returned.
public enum MicrosecondTime {
    /// Microseconds since the epoch, rounded to the nearest; clamped to the `Int64` range.
    public static func microseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite else { return value < 0 ? .min : .max }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// The date `microseconds` after the epoch.
    public static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// `date` as it reads back from a backend.
    public static func rounded(_ date: Date) -> Date { self.date(microseconds(date)) }

    /// `date` as it reads back from a backend.
    public static func rounded(_ date: Date?) -> Date? { date.map(rounded) }
}

extension Job {
    /// The job with every time rounded as a backend stores it (``MicrosecondTime``).
    public func roundedToMicroseconds() -> Job {
        var job = self
        job.createdAt = MicrosecondTime.rounded(createdAt)
        job.enqueuedAt = MicrosecondTime.rounded(enqueuedAt)
        job.startedAt = MicrosecondTime.rounded(startedAt)
        job.endedAt = MicrosecondTime.rounded(endedAt)
        job.lastHeartbeat = MicrosecondTime.rounded(lastHeartbeat)
        job.scheduledFor = MicrosecondTime.rounded(scheduledFor)
        job.expiresAt = MicrosecondTime.rounded(expiresAt)
        return job
    }
}
