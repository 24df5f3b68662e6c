import Foundation

extension MemoryBackend {
    public func pauseQueue(_ queue: String) -> Bool {
        pausedQueueNames.insert(queue).inserted
    }

    public func resumeQueue(_ queue: String) -> Bool {
        guard pausedQueueNames.remove(queue) != nil else { return false }
        signal()
        return true
    }

    public func pausedQueues() -> Set<String> { pausedQueueNames }

    /// A scan of the jobs, as the memory backend's claim does: it holds test-sized data.
    public func oldestQueuedAt(in queues: [String]) -> [String: Date] {
        let wanted = Set(queues)
        var oldest: [String: Date] = [:]
        for job in jobs.values where job.status == .queued && wanted.contains(job.queue) {
            let at = job.enqueuedAt ?? job.createdAt
            oldest[job.queue] = min(oldest[job.queue] ?? at, at)
        }
        return oldest
    }
}
