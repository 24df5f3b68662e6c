import Foundation

/// A time zone's UTC offsets as a table of transitions, so that `next`/`previous` can
/// move between wall clock and instants with a binary search instead of Foundation's
/// `Calendar` (which allocates and is ~100× slower).
///
/// Built once per zone from Foundation's `TimeZone` for the instants 1900–2200 (the
/// cron year field ends at 2199); outside that span the nearest known offset holds.
/// Building a zone with daylight saving takes about a millisecond: build one per zone
/// name and share it.
public struct CronTimeZone: Sendable, Hashable, CustomStringConvertible {
    /// The IANA name, e.g. `Europe/Berlin`.
    public var identifier: String { storage.identifier }
    let storage: Storage

    /// Coordinated Universal Time.
    public static let utc = CronTimeZone(storage: Storage(identifier: "UTC", initialOffset: 0, transitions: [], offsets: []))

    /// The zone with IANA name `identifier` (`Europe/Berlin`, `UTC`), or `nil` if the
    /// system does not know it.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" {
            self = .utc
            return
        }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(zone: zone, identifier: identifier)
    }

    /// A table made from a Foundation `TimeZone`.
    public init(_ zone: TimeZone) {
        self.init(zone: zone, identifier: zone.identifier)
    }

    private init(zone: TimeZone, identifier: String) {
        let start = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        let end = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
        let initial = zone.secondsFromGMT(for: start)
        var transitions: [Int] = []
        var offsets: [Int] = []
        var current = initial
        var cursor = start
        while let transition = zone.nextDaylightSavingTimeTransition(after: cursor), transition < end {
            let offset = zone.secondsFromGMT(for: transition)
            if offset != current {
                transitions.append(Int(transition.timeIntervalSince1970.rounded()))
                offsets.append(offset)
                current = offset
            }
            cursor = transition
        }
        storage = Storage(identifier: identifier, initialOffset: initial, transitions: transitions, offsets: offsets)
    }

    private init(storage: Storage) { self.storage = storage }

    public var description: String { identifier }

    public static func == (a: CronTimeZone, b: CronTimeZone) -> Bool { a.storage === b.storage || a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// The UTC offset in seconds in force at `instant` (seconds since the epoch).
    public func offset(at instant: Int) -> Int { storage.offset(at: instant) }

    /// Immutable transition table. A class so that copies of a schedule share it.
    final class Storage: Sendable {
        let identifier: String
        let initialOffset: Int
        /// Instants (seconds since the epoch) at which the offset changes, ascending.
        let transitions: [Int]
        /// The offset in force from `transitions[i]` on.
        let offsets: [Int]
        /// For each transition, the earliest wall time it touches: the wall clock reads
        /// `transitions[i] + min(before, after)` or later from then on.
        let wallStarts: [Int]

        init(identifier: String, initialOffset: Int, transitions: [Int], offsets: [Int]) {
            self.identifier = identifier
            self.initialOffset = initialOffset
            self.transitions = transitions
            self.offsets = offsets
            var wallStarts: [Int] = []
            wallStarts.reserveCapacity(transitions.count)
            for index in transitions.indices {
                let before = index == 0 ? initialOffset : offsets[index - 1]
                wallStarts.append(transitions[index] + min(before, offsets[index]))
            }
            self.wallStarts = wallStarts
        }

        /// Index of the last transition `<= instant`, or -1.
        @inline(__always)
        func transitionIndex(atOrBefore instant: Int) -> Int {
            Self.lastIndex(in: transitions, atOrBelow: instant)
        }

        /// Index of the last element `<= value` in the ascending `values`, or -1.
        @inline(__always)
        static func lastIndex(in values: [Int], atOrBelow value: Int) -> Int {
            var low = 0
            var high = values.count
            while low < high {
                let mid = (low + high) / 2
                if values[mid] <= value { low = mid + 1 } else { high = mid }
            }
            return low - 1
        }

        @inline(__always)
        func offset(at instant: Int) -> Int {
            let index = transitionIndex(atOrBefore: instant)
            return index < 0 ? initialOffset : offsets[index]
        }

        @inline(__always)
        func offset(before index: Int) -> Int {
            index <= 0 ? initialOffset : offsets[index - 1]
        }
    }
}
