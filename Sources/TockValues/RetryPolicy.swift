/// How a failed job is retried (`retry: {max: 3, intervals: [30s, 5m]}`).
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a failed run is retried (not counting the first run); at least 1.
    public var max: Int
    /// The delays between failure and retry, in seconds, as RQ reads them: the *last*
    /// interval is for the last retry, the one before for the retry before it, and when
    /// there are more retries than intervals the first one is used for the extra early
    /// retries (`max: 3, intervals: [10s, 1m]` waits 10 s, 10 s, 60 s). Empty leaves the
    /// delay to the default (10 s).
    public var intervals: [Int]

    /// A policy; see the properties for what each value means.
    public init(max: Int, intervals: [Int] = []) {
        self.max = max
        self.intervals = intervals
    }

    /// The delay before retry number `attempt` (1-based), or `nil` when the intervals
    /// leave it to the default.
    public func interval(beforeRetry attempt: Int) -> Int? {
        Self.interval(intervals, retriesLeft: max - (Swift.max(attempt, 1) - 1))
    }

    /// The delay before the retry of a job that has `retriesLeft` retries (counted before
    /// this one is used): RQ 2.x's `Job.get_retry_interval`, so that a Tock worker and an
    /// RQ worker retry the same job alike. `nil` when `intervals` is empty.
    public static func interval(_ intervals: [Int], retriesLeft: Int) -> Int? {
        guard !intervals.isEmpty else { return nil }
        return intervals[Swift.min(Swift.max(intervals.count - retriesLeft, 0), intervals.count - 1)]
    }
}
