import Foundation

/// A backend that keeps everything in this process's memory (`memory:`): for tests and
/// for trying Tock out. Nothing survives the process.
public actor MemoryBackend: TockBackend {
    var jobs: [JobID: Job] = [:]
    /// Creation order, for "newest first" listings.
    var creationOrder: [JobID] = []
    var workerRecords: [String: WorkerRecord] = [:]
    var runningJobs: [String: [JobID]] = [:]
    var eventLog: [JobEvent] = []
    var batches: [String: Batch] = [:]
    var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    var leaseRecord: SchedulerLease?
    var eventStateRecords: [String: EventState] = [:]
    var pausedFlag = false
    var pausedQueueNames: Set<String> = []

    public init() {}

    // MARK: - JobQueueBackend

    public func enqueue(_ newJobs: [Job], maxQueued: [String: Int]) throws -> [EnqueueOutcome] {
        var outcomes: [EnqueueOutcome] = []
        var adding: [String: Int] = [:]
        for job in newJobs {
            if let existing = jobs[job.id] ?? outcomes.first(where: { $0.job.id == job.id })?.job {
                outcomes.append(EnqueueOutcome(job: existing, created: false))
                continue
            }
            if job.status == .queued { adding[job.queue, default: 0] += 1 }
            outcomes.append(EnqueueOutcome(job: job, created: true))
        }
        for (queue, count) in adding {
            if let max = maxQueued[queue], queuedCount(queue) + count > max { throw TockError.queueFull(queue, maxQueued: max) }
        }
        for outcome in outcomes where outcome.created { insert(outcome.job) }
        if outcomes.contains(where: \.created) { signal() }
        return outcomes
    }

    public func claim(from queues: [String], worker: String, now: Date) -> Job? {
        for queue in queues where !pausedQueueNames.contains(queue) {
            let candidate = jobs.values.filter { $0.queue == queue && $0.status == .queued }
                .min { ($0.enqueuedAt ?? $0.createdAt, $0.id) < ($1.enqueuedAt ?? $1.createdAt, $1.id) }
            if let candidate {
                let job = candidate.claimed(by: worker, now: now)
                store(job)
                runningJobs[worker, default: []].append(job.id)
                return job
            }
        }
        return nil
    }

    public func complete(_ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date) -> Job? {
        guard let job = jobs[id], job.isRun(by: worker, claimedAt: claimedAt) else { return nil }
        runningJobs[worker]?.removeAll { $0 == id }
        let ended = job.completed(outcome, now: now)
        store(ended)
        endBatchIfDone(ended, now: now)
        if ended.status == .queued || ended.status == .scheduled { signal() }
        return ended
    }

    public func reportProgress(_ id: JobID, progress: JobProgress, now: Date) {
        guard var job = jobs[id], job.status == .started else { return }
        job.progress = progress
        job.lastHeartbeat = now
        store(job)
    }

    public func promoteDueJobs(now: Date) -> Date? {
        var next: Date?
        for job in jobs.values where job.status == .scheduled {
            guard let due = job.scheduledFor else { continue }
            if due <= now {
                store(job.promoted(now: now))
            } else {
                next = min(next ?? due, due)
            }
        }
        return next
    }

    public func waitForChange(timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitForSignal(id)
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            if await group.next() == false { resume(id) }
            group.cancelAll()
        }
        resumedEarly.remove(id)
    }

    /// Ids whose wait ended (timed out) before their waiter parked.
    private var resumedEarly: Set<UUID> = []

    private func waitForSignal(_ id: UUID) async {
        await withCheckedContinuation { continuation in
            if resumedEarly.contains(id) {
                continuation.resume()
            } else {
                waiters[id] = continuation
            }
        }
    }

    private func resume(_ id: UUID) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume()
        } else {
            resumedEarly.insert(id)
        }
    }

    /// Wakes every waiter.
    func signal() {
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }

    // MARK: - Storage helpers

    func insert(_ job: Job) {
        jobs[job.id] = job
        creationOrder.append(job.id)
        appendEvent(job, at: job.enqueuedAt ?? job.createdAt)
    }

    /// Replaces a job's record, logging an event when its status or progress changed.
    func store(_ job: Job) {
        let previous = jobs[job.id]
        jobs[job.id] = job
        if previous?.status != job.status || previous?.progress != job.progress {
            appendEvent(job, at: job.lastHeartbeat ?? job.endedAt ?? job.createdAt)
        }
    }

    func appendEvent(_ job: Job, at: Date) {
        eventLog.append(
            JobEvent(
                cursor: Int64(eventLog.count + 1), job: job.id, queue: job.queue, status: job.status,
                progress: job.progress, batch: job.batch, at: at))
    }

    func queuedCount(_ queue: String) -> Int {
        jobs.values.reduce(0) { $0 + ($1.queue == queue && $1.status == .queued ? 1 : 0) }
    }

    func endBatchIfDone(_ job: Job, now: Date) {
        guard job.status.isTerminal, let id = job.batch, let status = batchStatus(id),
            let (ended, onComplete) = status.ending(now: now)
        else { return }
        batches[id] = ended
        if let onComplete, jobs[onComplete.id] == nil {
            insert(onComplete)
            signal()
        }
    }

    func batchStatus(_ id: String) -> BatchStatus? {
        guard let batch = batches[id] else { return nil }
        var counts: [JobStatus: Int] = [:]
        for job in jobs.values where job.batch == id { counts[job.status, default: 0] += 1 }
        return BatchStatus(batch: batch, counts: counts)
    }
}
