import Dispatch
import Synchronization

/// A value delivered once, from any thread, to any number of async waiters. A waiter may
/// give up at a deadline, or when its task is cancelled, and then gets `nil`.
///
/// Bridges the dedicated threads that watch a child process (they must block) and a
/// detached Swift handler to the async code that supervises them, without an extra task
/// per deadline: deadlines are Dispatch timers, so a wait that must outlive the caller's
/// cancellation (the grace period after a SIGTERM) still ends on time.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
        /// Waits started and not yet answered.
        var open: Set<Int> = []
        /// Open waits given up before their continuation was stored.
        var givenUp: Set<Int> = []
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The delivered value, if it has been delivered.
    var value: Value? { state.withLock { $0.value } }

    /// Delivers `value` to every waiter, present and future. Only the first delivery counts.
    func deliver(_ value: Value) {
        let waiters: [CheckedContinuation<Value?, Never>] = state.withLock { state in
            guard state.value == nil else { return [] }
            state.value = value
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            state.open.removeAll()
            state.givenUp.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Waits for the value.
    ///
    /// - Parameters:
    ///   - deadline: When to give up; `nil` waits as long as it takes.
    ///   - cancellable: Whether cancelling the calling task gives up the wait. When
    ///     `false` the wait ignores cancellation and ends only at the value or `deadline`.
    /// - Returns: The value, or `nil` when the wait was given up first.
    func wait(until deadline: ContinuousClock.Instant? = nil, cancellable: Bool = false) async -> Value? {
        let id = state.withLock { state in
            state.nextID += 1
            state.open.insert(state.nextID)
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let answer: Value?? = state.withLock { state in
                    if let value = state.value {
                        state.open.remove(id)
                        return .some(value)
                    }
                    if state.givenUp.remove(id) != nil {
                        state.open.remove(id)
                        return .some(nil)
                    }
                    state.waiters[id] = continuation
                    return nil
                }
                if let answer {
                    continuation.resume(returning: answer)
                } else if let deadline {
                    let delay = ContinuousClock.now.duration(to: deadline).clampedNanoseconds
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(delay)) { self.giveUp(id) }
                }
            }
        } onCancel: {
            if cancellable { giveUp(id) }
        }
    }

    private func giveUp(_ id: Int) {
        let waiter: CheckedContinuation<Value?, Never>? = state.withLock { state in
            guard state.open.contains(id) else { return nil }
            if let waiter = state.waiters.removeValue(forKey: id) {
                state.open.remove(id)
                return waiter
            }
            state.givenUp.insert(id)
            return nil
        }
        waiter?.resume(returning: nil)
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `0...Int.max` (negative durations become 0, longer
    /// than ~292 years become `Int.max`).
    var clampedNanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return Int.max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? Int.max : Int(max(0, total))
    }

    /// Seconds as a `Double`, for logs and working-time totals.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
