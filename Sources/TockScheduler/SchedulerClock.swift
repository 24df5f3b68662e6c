import Foundation
import TockValues

/// The wall clock the scheduler reads and sleeps on. Injectable, so that tests drive
/// daylight-saving transitions and clock steps without waiting.
public protocol SchedulerClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Sleeps until the wall clock reads `deadline` (returns at once if it already does).
    /// - Throws: `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock. A sleep is measured on the monotonic clock for the time left,
/// so a wall-clock step while asleep is noticed at the next wake-up (the scheduler never
/// sleeps longer than a second at a time).
public struct SystemSchedulerClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        let microseconds = CheckedInteger.clamped(seconds * 1_000_000, to: 0...Int(Int64.max / 1000))
        try await Task.sleep(for: .microseconds(microseconds), tolerance: .milliseconds(1))
    }
}
