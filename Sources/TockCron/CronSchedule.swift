import Foundation

/// A cron expression evaluated in a time zone: the fire times.
///
/// Daylight saving follows `docs/cron.md` (cronsim's rules): a fixed-time schedule
/// (``CronExpression/isFixedTime``) is matched on the wall clock — a time skipped by
/// spring-forward fires once at the first instant after the gap, a time repeated by
/// fall-back fires once, at its first occurrence — and every other schedule follows
/// elapsed time: slots in a skipped hour do not exist, slots in a repeated hour fire in
/// both passes. Fire times are whole seconds and strictly increasing.
///
/// `next` and `previous` jump field by field and never allocate.
public struct CronSchedule: Sendable, Hashable {
    public let expression: CronExpression
    public let timeZone: CronTimeZone

    public init(_ expression: CronExpression, timeZone: CronTimeZone = .utc) {
        self.expression = expression
        self.timeZone = timeZone
    }

    /// The first fire time strictly after `date`, or `nil` if there is none (a year
    /// field that has run out, or `@reboot`, which has no calendar times).
    public func next(after date: Date) -> Date? {
        nextInstant(after: Self.seconds(date, roundingUp: false)).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// The last fire time strictly before `date`, or `nil` if there is none.
    public func previous(before date: Date) -> Date? {
        previousInstant(before: Self.seconds(date, roundingUp: true)).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// The fire times after `date`, computed lazily.
    public func fireTimes(after date: Date) -> CronFireTimes {
        CronFireTimes(schedule: self, cursor: Self.seconds(date, roundingUp: false), forward: true)
    }

    /// The fire times before `date`, newest first, computed lazily.
    public func fireTimes(before date: Date) -> CronFireTimes {
        CronFireTimes(schedule: self, cursor: Self.seconds(date, roundingUp: true), forward: false)
    }

    /// ``next(after:)`` on whole seconds since the epoch: the first fire `> instant`.
    public func nextInstant(after instant: Int) -> Int? {
        guard !expression.isReboot else { return nil }
        let search = WallClockSearch(fields: expression.fields)
        let zone = timeZone.storage
        if zone.transitions.isEmpty {
            return search.next(atOrAfter: instant + 1 + zone.initialOffset).map { $0 - zone.initialOffset }
        }
        if expression.isFixedTime {
            let index = zone.transitionIndex(atOrBefore: instant)
            let lower: Int
            if let repeatEnd = zone.endOfRepeat(containing: instant, index: index) {
                // The wall times of the repeated hour fired in their first pass.
                lower = repeatEnd
            } else {
                lower = instant + (index < 0 ? zone.initialOffset : zone.offsets[index]) + 1
            }
            return search.next(atOrAfter: lower).map(zone.firstInstant(showing:))
        }
        var lower = instant + 1
        while true {
            let index = zone.transitionIndex(atOrBefore: lower)
            let offset = index < 0 ? zone.initialOffset : zone.offsets[index]
            let periodEnd = index + 1 < zone.transitions.count ? zone.transitions[index + 1] : Int.max
            guard let wall = search.next(atOrAfter: lower + offset) else { return nil }
            if wall - offset < periodEnd { return wall - offset }
            lower = periodEnd
        }
    }

    /// ``previous(before:)`` on whole seconds since the epoch: the last fire `< instant`.
    public func previousInstant(before instant: Int) -> Int? {
        guard !expression.isReboot else { return nil }
        let search = WallClockSearch(fields: expression.fields)
        let zone = timeZone.storage
        let upper = instant - 1
        if zone.transitions.isEmpty {
            return search.previous(atOrBelow: upper + zone.initialOffset).map { $0 - zone.initialOffset }
        }
        if expression.isFixedTime {
            let index = zone.transitionIndex(atOrBefore: upper)
            let bound: Int
            if let repeatEnd = zone.endOfRepeat(containing: upper, index: index) {
                bound = repeatEnd - 1
            } else {
                bound = upper + (index < 0 ? zone.initialOffset : zone.offsets[index])
            }
            return search.previous(atOrBelow: bound).map(zone.firstInstant(showing:))
        }
        var bound = upper
        while true {
            let index = zone.transitionIndex(atOrBefore: bound)
            let offset = index < 0 ? zone.initialOffset : zone.offsets[index]
            let periodStart = index < 0 ? Int.min : zone.transitions[index]
            guard let wall = search.previous(atOrBelow: bound + offset) else { return nil }
            if wall - offset >= periodStart { return wall - offset }
            bound = periodStart - 1
        }
    }

    /// Whole seconds of `date`, clamped to ±10,000 years so arithmetic cannot overflow.
    static func seconds(_ date: Date, roundingUp: Bool) -> Int {
        let value = date.timeIntervalSince1970
        guard value.isFinite else { return value > 0 ? 315_000_000_000 : -315_000_000_000 }
        let rounded = roundingUp ? value.rounded(.up) : value.rounded(.down)
        return Int(min(max(rounded, -315_000_000_000), 315_000_000_000))
    }
}

extension CronTimeZone.Storage {
    /// When `instant` lies in the second pass of a fall-back (the wall clock shows a
    /// time it already showed), the wall time at which the repetition ends.
    @inline(__always)
    func endOfRepeat(containing instant: Int, index: Int) -> Int? {
        guard index >= 0 else { return nil }
        let before = offset(before: index)
        let after = offsets[index]
        guard after < before, instant < transitions[index] + (before - after) else { return nil }
        return transitions[index] + before
    }

    /// The first instant whose wall clock shows `wall`; for a wall time skipped by a
    /// spring-forward, the first instant after the gap.
    @inline(__always)
    func firstInstant(showing wall: Int) -> Int {
        let index = Self.lastIndex(in: wallStarts, atOrBelow: wall)
        guard index >= 0 else { return wall - initialOffset }
        let before = offset(before: index)
        let after = offsets[index]
        let transition = transitions[index]
        if after > before {
            return wall < transition + after ? transition : wall - after
        }
        return wall < transition + before ? wall - before : wall - after
    }
}

/// The fire times of a ``CronSchedule`` from a starting point, computed as you iterate.
public struct CronFireTimes: Sequence, IteratorProtocol, Sendable {
    let schedule: CronSchedule
    var cursor: Int
    let forward: Bool

    public mutating func next() -> Date? {
        let found = forward ? schedule.nextInstant(after: cursor) : schedule.previousInstant(before: cursor)
        guard let found else { return nil }
        cursor = found
        return Date(timeIntervalSince1970: Double(found))
    }
}
