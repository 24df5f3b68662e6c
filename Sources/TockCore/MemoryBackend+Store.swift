import Foundation

extension MemoryBackend {
    // MARK: - JobStore

    public func job(_ id: JobID) -> Job? { jobs[id] }

    public func queueCounts() -> [String: [JobStatus: Int]] {
        var counts: [String: [JobStatus: Int]] = [:]
        for job in jobs.values { counts[job.queue, default: [:]][job.status, default: 0] += 1 }
        return counts
    }

    public func cancel(_ id: JobID, now: Date, failureTTL: Int) throws -> Job {
        guard let job = jobs[id] else { throw TockError.jobNotFound(id) }
        let canceled = try job.canceled(now: now, failureTTL: failureTTL)
        store(canceled)
        endBatchIfDone(canceled, now: now)
        return canceled
    }

    public func requestStop(_ id: JobID, now: Date) throws -> Job {
        guard let job = jobs[id] else { throw TockError.jobNotFound(id) }
        let stopping = try job.stopRequested(now: now)
        store(stopping)
        return stopping
    }

    public func requeue(_ id: JobID, now: Date) throws -> Job {
        guard let job = jobs[id] else { throw TockError.jobNotFound(id) }
        let requeued = try job.requeued(now: now)
        store(requeued)
        signal()
        return requeued
    }

    public func requeueFailed(now: Date) throws -> [Job] {
        let failed = creationOrder.compactMap { jobs[$0] }.filter { $0.status == .failed }
        let requeued = try failed.map { try $0.requeued(now: now) }
        requeued.forEach(store)
        if !requeued.isEmpty { signal() }
        return requeued
    }

    public func delete(_ id: JobID) -> Bool {
        guard jobs.removeValue(forKey: id) != nil else { return false }
        creationOrder.removeAll { $0 == id }
        return true
    }

    // MARK: - WorkerRegistry

    public func heartbeat(_ worker: WorkerRecord, runningJobs running: [JobID], now: Date) -> Set<JobID> {
        workerRecords[worker.name] = worker
        var stops: Set<JobID> = []
        for id in running {
            guard var job = jobs[id], job.status == .started, job.worker == worker.name else { continue }
            job.lastHeartbeat = now
            jobs[id] = job
            if job.stopRequested { stops.insert(id) }
        }
        return stops
    }

    public func unregisterWorker(_ name: String) {
        workerRecords.removeValue(forKey: name)
    }

    public func workers() -> [WorkerRecord] {
        workerRecords.values.sorted { $0.name < $1.name }
    }

    public func recoverAbandonedJobs(now: Date, heartbeatTimeout: TimeInterval, failureTTL: Int) -> [Job] {
        let cutoff = now.addingTimeInterval(-heartbeatTimeout)
        let dead = Set(workerRecords.values.filter { $0.lastHeartbeat < cutoff }.map(\.name))
        var recovered: [Job] = []
        for job in jobs.values where job.status == .started {
            guard job.worker != nil, (job.lastHeartbeat ?? job.startedAt ?? now) < cutoff else { continue }
            let abandoned = job.abandoned(now: now, failureTTL: failureTTL)
            store(abandoned)
            endBatchIfDone(abandoned, now: now)
            recovered.append(abandoned)
        }
        for name in dead {
            workerRecords.removeValue(forKey: name)
            runningJobs.removeValue(forKey: name)
        }
        if !recovered.isEmpty { signal() }
        return recovered
    }

    public func purgeExpired(now: Date) -> Int {
        let expired = jobs.values.filter { job in job.status.isTerminal && (job.expiresAt.map { $0 <= now } ?? false) }
        for job in expired { _ = delete(job.id) }
        return expired.count
    }

    // MARK: - JobEventLog

    public func events(after cursor: Int64, limit: Int) -> [JobEvent] {
        Array(eventLog.lazy.filter { $0.cursor > cursor }.prefix(limit))
    }

    // MARK: - BatchStore

    public func createBatch(_ batch: Batch, chunks: [Job], maxQueued: [String: Int]) throws {
        guard batches[batch.id] == nil else { return }
        // Chunk ids are derived from the batch id; an existing one means a clash, and
        // nothing is stored.
        if let clash = chunks.first(where: { jobs[$0.id] != nil }) {
            throw TockError.invalidArgument("batch '\(batch.id)' collides with existing job '\(clash.id)'; choose another batch id")
        }
        _ = try enqueue(chunks, maxQueued: maxQueued)
        batches[batch.id] = batch
    }

    public func batch(_ id: String) -> BatchStatus? { batchStatus(id) }
}
