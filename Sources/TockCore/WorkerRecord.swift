import Foundation

/// A worker as registered in the backend: what `tock workers` lists. With
/// `--concurrency N` each slot registers as a worker of its own.
public struct WorkerRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case idle, busy, suspended
    }

    public var name: String
    public var hostname: String
    public var pid: Int32
    /// In priority order.
    public var queues: [String]
    public var state: State
    public var currentJob: JobID?
    public var successfulJobCount: Int
    public var failedJobCount: Int
    /// Seconds spent running jobs.
    public var totalWorkingTime: Double
    public var birth: Date
    public var lastHeartbeat: Date

    public init(
        name: String, hostname: String, pid: Int32, queues: [String], state: State = .idle,
        currentJob: JobID? = nil, successfulJobCount: Int = 0, failedJobCount: Int = 0,
        totalWorkingTime: Double = 0, birth: Date, lastHeartbeat: Date
    ) {
        self.name = name
        self.hostname = hostname
        self.pid = pid
        self.queues = queues
        self.state = state
        self.currentJob = currentJob
        self.successfulJobCount = successfulJobCount
        self.failedJobCount = failedJobCount
        self.totalWorkingTime = totalWorkingTime
        self.birth = birth
        self.lastHeartbeat = lastHeartbeat
    }

    /// Total working time ÷ (now − birth) × 100, clamped to 0–100.
    public func utilization(at now: Date) -> Double {
        let alive = now.timeIntervalSince(birth)
        guard alive > 0 else { return 0 }
        return min(100, max(0, totalWorkingTime / alive * 100))
    }
}
