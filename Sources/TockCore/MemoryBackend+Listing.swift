import Foundation

extension MemoryBackend {
    /// Sorts the matching jobs: the memory backend is for tests and trials, not millions.
    public func jobs(matching filter: JobFilter) -> [Job] {
        guard filter.limit > 0 else { return [] }
        return Array(jobs.values.filter(filter.matches).sorted(by: JobFilter.listedBefore).prefix(filter.limit))
    }

    public func requeue(matching filter: JobFilter, now: Date) -> Int {
        var unbounded = filter
        unbounded.cursor = nil
        var count = 0
        for job in jobs.values where job.status.isTerminal && unbounded.matches(job) {
            guard let requeued = try? job.requeued(now: now) else { continue }
            store(requeued)
            count += 1
        }
        if count > 0 { signal() }
        return count
    }

    public func delete(matching filter: JobFilter) -> Int {
        var unbounded = filter
        unbounded.cursor = nil
        let doomed = jobs.values.filter { $0.status != .started && unbounded.matches($0) }.map(\.id)
        for id in doomed { _ = delete(id) }
        return doomed.count
    }
}
