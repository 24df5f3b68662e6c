import Foundation
import TockCore

extension RedisBackend: JobQueueBackend {
    public func enqueue(_ jobs: [Job], maxQueued: [String: Int]) async throws -> [EnqueueOutcome] {
        var write = RedisWrite()
        var firstIndex: [JobID: Int] = [:]
        var unique: [Job] = []
        for job in jobs where firstIndex[job.id] == nil {
            firstIndex[job.id] = unique.count
            unique.append(job.roundedToMicroseconds())
            write.append(insertUnit(unique[unique.count - 1], maxQueued: maxQueued[job.queue], idempotent: true))
        }
        let written: [Bool]
        switch try await run(write) {
        case .success(let flags): written = flags
        case .failure(.queueFull(let queue, let maximum)): throw TockError.queueFull(queue, maxQueued: maximum)
        case .failure(let refusal): throw TockError.invalidArgument("enqueue refused: \(refusal)")
        }
        let existingByID = try await storedJobs(unique, skippedBy: written, withResults: true)
        var returned: Set<JobID> = []
        return jobs.map { job in
            let first = firstIndex[job.id]!
            let stored = unique[first]
            // A repeated id within the same call is the existing job the second time.
            let isFirst = returned.insert(job.id).inserted
            if written[first] { return EnqueueOutcome(job: stored, created: isFirst) }
            return EnqueueOutcome(job: existingByID[job.id] ?? stored, created: false)
        }
    }

    public func claim(from queues: [String], worker: String, now: Date) async throws -> Job? {
        guard !queues.isEmpty else { return nil }
        while true {
            let reply = try await script(RedisScripts.claim, claimArguments(queues: queues, worker: worker, now: now))
            switch try await claimed(reply, worker: worker, now: now) {
            case .job(let job): return job
            case .empty: return nil
            case .refused: continue
            }
        }
    }

    /// What a claim reply held.
    enum ClaimReply {
        case job(Job)
        case empty
        /// A job whose record cannot be read was taken and failed: claim again.
        case refused
    }

    func claimArguments(queues: [String], worker: String, now: Date) -> [RedisArgument] {
        let now = MicrosecondTime.rounded(now)
        return [
            RedisArgument(worker), RedisArgument(RQTime.text(now)),
            RedisArgument(RQTime.epoch(now.addingTimeInterval(Double(options.executionTTL)))),
            RedisArgument(Self.executionID()), RedisArgument(RQTime.epoch(now)), RedisArgument(options.executionTTL),
        ] + queues.map { RedisArgument($0) }
    }

    /// A random execution id, 32 hex digits as RQ's `uuid4().hex`.
    static func executionID() -> String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(.random(in: .min ... .max)) + hex(.random(in: .min ... .max))
    }

    /// Reads the claim script's reply, remembering the job as claimed.
    func claimed(_ reply: RedisValue, worker: String, now: Date) async throws -> ClaimReply {
        guard let parts = reply.array, parts.count == 3, let id = parts[1].string else { return .empty }
        let hash = parts[2].hash
        do {
            let job = try RQJobHash.job(id: id, hash: hash, latestResult: nil, zlib: zlib)
            claimed.withLock { $0[job.id] = job }
            return .job(job)
        } catch {
            // RQ's pickle jobs and damaged records: failed with the reason, never run.
            try await refuse(id: id, hash: hash, reason: error.detail, worker: worker, now: MicrosecondTime.rounded(now))
            return .refused
        }
    }

    /// Fails a claimed job whose record cannot be read, so that no worker takes it again.
    private func refuse(id: String, hash: [String: [UInt8]], reason: String, worker: String, now: Date) async throws {
        let old = RQJobHash.placeholder(id: id, hash: hash, reason: reason, zlib: zlib)
        let new = old.completed(.unreadable(reason), now: now).roundedToMicroseconds()
        var write = RedisWrite()
        write.append(transitionUnit(from: old, to: new, result: resultEntry(for: new, worker: worker)))
        _ = try await run(write)
    }

    /// Ends the run if the job is still the one `worker` claimed at `claimedAt`
    /// (``TockCore/Job/isRun(by:claimedAt:)``). The fast path writes from the claim's own
    /// copy, requiring the hash's `status`, `worker_name` and `started_at` unchanged; when
    /// any changed, the slow path reads the job and checks again.
    public func complete(_ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date) async throws -> Job? {
        if let (write, ended) = completion(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now) {
            if case .success = try await run(write) {
                try await endBatchIfDone(ended, now: now)
                return ended
            }
        }
        let changed = try await update(
            id, requireStartedAt: claimedAt != nil, result: { [self] _, new in resultEntry(for: new, worker: worker) },
            { job in
                guard job.isRun(by: worker, claimedAt: claimedAt) else { return nil }
                return job.completed(outcome, now: now)
            })
        guard let ended = changed?.new else { return nil }
        try await endBatchIfDone(ended, now: now)
        return ended
    }

    /// One round trip for a busy worker: the end of its job and the claim of the next.
    public func complete(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date, thenClaimFrom queues: [String]
    ) async throws -> (completed: Job?, next: Job?) {
        guard !queues.isEmpty,
            let (write, ended) = completion(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now)
        else {
            let completed = try await complete(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now)
            return (completed, try await claim(from: queues, worker: worker, now: now))
        }
        let writeWords = write.arguments
        var arguments = RedisCommand()
        arguments.append(writeWords.count)
        arguments.append(contentsOf: writeWords)
        arguments.append(contentsOf: RedisCommand(claimArguments(queues: queues, worker: worker, now: now)))
        let reply = try await script(RedisScripts.writeThenClaim, arguments)
        guard let parts = reply.array, parts.count == 2 else {
            throw TockError.backendUnavailable(url.description, detail: "unexpected reply to complete-and-claim: \(reply)")
        }
        guard case .success = try await redis({ () throws(RedisError) in try RedisWrite.outcome(parts[0]) }) else {
            // The job changed since it was claimed (declared abandoned, stopped…): the slow path.
            let completed = try await complete(id, worker: worker, claimedAt: claimedAt, outcome: outcome, now: now)
            return (completed, try await claim(from: queues, worker: worker, now: now))
        }
        try await endBatchIfDone(ended, now: now)
        switch try await claimed(parts[1], worker: worker, now: now) {
        case .job(let job): return (ended, job)
        case .empty: return (ended, nil)
        case .refused: return (ended, try await claim(from: queues, worker: worker, now: now))
        }
    }

    /// The fast path's write: from this process's copy of the claim, when it is the run
    /// being ended; `nil` sends the caller to the slow path.
    private func completion(
        _ id: JobID, worker: String, claimedAt: Date?, outcome: JobOutcome, now: Date
    ) -> (RedisWrite, Job)? {
        let old = claimed.withLock { copies -> Job? in
            // A refused late end leaves the copy of a later claim of the job (same name) in place.
            guard let old = copies[id], old.isRun(by: worker, claimedAt: claimedAt) else { return nil }
            copies[id] = nil
            return old
        }
        guard let old else { return nil }
        let new = old.completed(outcome, now: now).roundedToMicroseconds()
        var write = RedisWrite()
        write.append(transitionUnit(from: old, to: new, requireStartedAt: true, result: resultEntry(for: new, worker: worker)))
        return (write, new)
    }

    public func reportProgress(_ id: JobID, progress: JobProgress, now: Date) async throws {
        _ = try await update(id) { job in
            guard job.status == .started else { return nil }
            var job = job
            job.progress = progress
            job.lastHeartbeat = now
            return job
        }
    }

    public func promoteDueJobs(now: Date) async throws -> Date? {
        let queues = try await queueNames()
        let epoch = RQTime.epoch(now)
        // Per queue, in one round trip: the due ids, and the first one not yet due.
        let replies = try await pipeline(
            queues.flatMap { queue -> [[RedisArgument]] in
                let key = RedisArgument(keys.scheduled(queue))
                return [
                    ["ZRANGEBYSCORE", key, "-inf", RedisArgument(epoch)],
                    ["ZRANGEBYSCORE", key, RedisArgument("(" + epoch), "+inf", "WITHSCORES", "LIMIT", "0", "1"],
                ]
            })
        for index in stride(from: 0, to: replies.count, by: 2) {
            for id in (replies[index].array ?? []).compactMap(\.string) {
                _ = try? await update(JobID(unchecked: id)) { job in job.status == .scheduled ? job.promoted(now: now) : nil }
            }
        }
        let next = stride(from: 1, to: replies.count, by: 2).compactMap { index -> Double? in
            guard let values = replies[index].array, values.count == 2, let score = values[1].string else { return nil }
            return Double(score)
        }.min()
        return next.map { MicrosecondTime.rounded(Date(timeIntervalSince1970: $0)) }
    }

    public func waitForChange(timeout: Duration) async {
        await waiter.wait(timeout: timeout)
    }
}
