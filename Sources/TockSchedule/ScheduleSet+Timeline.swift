import HeapModule
import TockCron

/// One upcoming fire of an event, as `tock next` lists it.
public struct UpcomingFire: Sendable, Hashable {
    /// The event that fires.
    public var event: ScheduledEvent
    /// The schedule's fire instant, in seconds since the epoch (the job's id and origin
    /// are derived from it).
    public var instant: Int
    /// When the job is enqueued: ``instant`` plus the event's jitter offset.
    public var enqueueInstant: Int { instant + event.jitterOffset }
}

extension ScheduleSet {
    /// The next fires of the events that `include` accepts, merged into one timeline
    /// ordered by instant (then event name).
    ///
    /// Each event's fires are computed lazily and merged through a min-heap, so the cost
    /// is O(`limit` · log n) `next()` calls, whatever the number of events. `@reboot`
    /// events have no calendar times and are never included.
    ///
    /// - Parameters:
    ///   - instant: Fires strictly after this instant (seconds since the epoch).
    ///   - until: If given, no fire after this instant.
    ///   - limit: At most this many fires.
    ///   - include: Which events take part (e.g. a name filter); disabled events too, if
    ///     it accepts them.
    public func upcomingFires(
        after instant: Int, until: Int? = nil, limit: Int,
        including include: (ScheduledEvent) -> Bool = { _ in true }
    ) -> [UpcomingFire] {
        struct Entry: Comparable {
            var instant: Int
            var index: Int
            var name: String
            static func < (a: Entry, b: Entry) -> Bool { (a.instant, a.name) < (b.instant, b.name) }
        }
        var heap = Heap<Entry>()
        for (index, event) in events.enumerated() where include(event) {
            if let next = event.schedule.nextInstant(after: instant) {
                heap.insert(Entry(instant: next, index: index, name: event.name))
            }
        }
        var fires: [UpcomingFire] = []
        while fires.count < limit, var entry = heap.popMin() {
            if let until, entry.instant > until { break }
            let event = events[entry.index]
            fires.append(UpcomingFire(event: event, instant: entry.instant))
            if let next = event.schedule.nextInstant(after: entry.instant) {
                entry.instant = next
                heap.insert(entry)
            }
        }
        return fires
    }
}
