import Foundation
import Synchronization
import Testing
import TockScheduler

/// A wall clock that moves only when the test says, waking sleepers whose time has come.
final class ManualClock: SchedulerClock {
    private struct State {
        var now: Date
        var sleepers: [UUID: (deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    private let state: Mutex<State>

    init(_ start: Date) { state = Mutex(State(now: start)) }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(until deadline: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if deadline <= state.now { return true }
                    state.sleepers[id] = (deadline, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Sets the time (forwards or backwards) and wakes the sleepers that are due.
    func set(_ date: Date) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = date
            let ready = state.sleepers.filter { $0.value.deadline <= date }
            for key in ready.keys { state.sleepers.removeValue(forKey: key) }
            return ready.map(\.value.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    func advance(by seconds: TimeInterval) { set(now().addingTimeInterval(seconds)) }

    /// Waits (in real time, briefly) until someone sleeps on this clock: the scheduler has
    /// finished the pass the last move started. Records an issue if nobody does within
    /// 5 s (a scheduler stuck or gone would otherwise pass unseen).
    func settle(sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<2000 {
            if state.withLock({ !$0.sleepers.isEmpty }) {
                try? await Task.sleep(for: .milliseconds(2))
                if state.withLock({ !$0.sleepers.isEmpty }) { return }
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("nobody slept on the clock within 2,000 waits: the scheduler is stuck or gone", sourceLocation: sourceLocation)
    }

    /// Moves forward one step at a time, letting the scheduler run after each.
    func run(for seconds: TimeInterval, step: TimeInterval = 0.5, sourceLocation: SourceLocation = #_sourceLocation) async {
        var left = seconds
        while left > 0 {
            advance(by: min(step, left))
            left -= step
            await settle(sourceLocation: sourceLocation)
        }
    }
}
