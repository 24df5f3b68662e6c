/// How a failed job is retried (`retry: {max: 3, intervals: [30s, 5m]}`).
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a failed run is retried (not counting the first run); at least 1.
    public var max: Int
    /// The delays before the 1st, 2nd, … retry, in seconds. The last one repeats for
    /// later retries; empty leaves the delay to the worker's default backoff.
    public var intervals: [Int]

    /// A policy; see the properties for what each value means.
    public init(max: Int, intervals: [Int] = []) {
        self.max = max
        self.intervals = intervals
    }

    /// The delay before retry number `attempt` (1-based), or `nil` when the intervals
    /// leave it to the worker's default.
    public func interval(beforeRetry attempt: Int) -> Int? {
        guard !intervals.isEmpty else { return nil }
        return intervals[min(Swift.max(attempt, 1), intervals.count) - 1]
    }
}
