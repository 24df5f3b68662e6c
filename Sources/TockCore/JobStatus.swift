/// Where a job is in its life. `queued` → `started` → `finished` / `failed` is the main
/// line; `scheduled` waits for a time (delayed, or a retry), `deferred` waits for other
/// jobs, `canceled` was withdrawn before it ran, `stopped` was stopped while running.
public enum JobStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case queued, started, finished, failed, scheduled, deferred, canceled, stopped

    public var description: String { rawValue }

    /// Finished, failed, canceled or stopped: nothing more happens unless requeued.
    public var isTerminal: Bool {
        switch self {
        case .finished, .failed, .canceled, .stopped: true
        case .queued, .started, .scheduled, .deferred: false
        }
    }

    /// Queued, scheduled or deferred: waiting to run (cancel applies).
    public var isWaiting: Bool {
        switch self {
        case .queued, .scheduled, .deferred: true
        default: false
        }
    }
}
