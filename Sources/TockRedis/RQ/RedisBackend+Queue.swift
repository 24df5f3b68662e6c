import Foundation
import TockCore

extension RedisBackend: JobQueueBackend {
    public func enqueue(_ jobs: [Job], maxQueued: [String: Int]) async throws -> [EnqueueOutcome] {
        var write = RedisWrite()
        var firstIndex: [JobID: Int] = [:]
        var unique: [Job] = []
        for job in jobs where firstIndex[job.id] == nil {
            firstIndex[job.id] = unique.count
            unique.append(RQJobHash.rounded(job))
            write.append(insertUnit(unique[unique.count - 1], maxQueued: maxQueued[job.queue], idempotent: true))
        }
        let written: [Bool]
        switch try await run(write) {
        case .success(let flags): written = flags
        case .failure(.queueFull(let queue, let maximum)): throw TockError.queueFull(queue, maxQueued: maximum)
        case .failure(let refusal): throw TockError.invalidArgument("enqueue refused: \(refusal)")
        }
        let existingIDs = unique.indices.filter { !written[$0] }.map { unique[$0].id.rawValue }
        let existing = try await readJobs(existingIDs, withResults: true)
        var existingByID: [JobID: Job] = [:]
        for job in existing.compactMap({ $0 }) { existingByID[job.id] = job }
        return jobs.enumerated().map { index, job in
            let first = firstIndex[job.id]!
            let stored = unique[first]
            if written[first] {
                // A repeated id within the same call is the existing job the second time.
                let isFirst = jobs.firstIndex { $0.id == job.id } == index
                return EnqueueOutcome(job: stored, created: isFirst)
            }
            return EnqueueOutcome(job: existingByID[job.id] ?? stored, created: false)
        }
    }

    public func claim(from queues: [String], worker: String, now: Date) async throws -> Job? {
        guard !queues.isEmpty else { return nil }
        while true {
            let now = RQTime.rounded(now)
            let reply = try await script(
                RedisScripts.claim,
                [
                    RedisArgument(worker), RedisArgument(RQTime.text(now)),
                    RedisArgument(RQTime.epoch(now.addingTimeInterval(Double(options.executionTTL)))),
                    RedisArgument(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")),
                    RedisArgument(RQTime.epoch(now)), RedisArgument(options.executionTTL),
                ] + queues.map { RedisArgument($0) })
            guard let parts = reply.array, parts.count == 3, let id = parts[1].string else { return nil }
            let hash = parts[2].hash
            do {
                return try RQJobHash.job(id: id, hash: hash, latestResult: nil)
            } catch {
                // RQ's pickle jobs and damaged records: failed with the reason, never run.
                try await refuse(id: id, hash: hash, reason: error.detail, worker: worker, now: now)
            }
        }
    }

    /// Fails a claimed job whose record cannot be read, so that no worker takes it again.
    private func refuse(id: String, hash: [String: [UInt8]], reason: String, worker: String, now: Date) async throws {
        let old = RQJobHash.placeholder(id: id, hash: hash, reason: reason)
        let new = RQJobHash.rounded(old.completed(.failedWithoutRetry(reason, failureTTL: 7 * 24 * 3600), now: now))
        var write = RedisWrite()
        write.append(transitionUnit(from: old, to: new, result: resultEntry(for: new, worker: worker)))
        _ = try await run(write)
    }

    public func complete(_ id: JobID, worker: String, outcome: JobOutcome, now: Date) async throws -> Job? {
        let changed = try await update(
            id, result: { [self] _, new in resultEntry(for: new, worker: worker) },
            { job in
                guard job.status == .started, job.worker == worker else { return nil }
                return job.completed(outcome, now: now)
            })
        guard let ended = changed?.new else { return nil }
        try await endBatchIfDone(ended, now: now)
        return ended
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
        let due = try await pipeline(
            queues.map { ["ZRANGEBYSCORE", RedisArgument(keys.scheduled($0)), "-inf", RedisArgument(RQTime.epoch(now))] })
        for id in due.flatMap({ $0.array ?? [] }).compactMap(\.string) {
            _ = try? await update(JobID(unchecked: id)) { job in job.status == .scheduled ? job.promoted(now: now) : nil }
        }
        let firsts = try await pipeline(queues.map { ["ZRANGE", RedisArgument(keys.scheduled($0)), "0", "0", "WITHSCORES"] })
        let next = firsts.compactMap { reply -> Double? in
            guard let values = reply.array, values.count == 2, let score = values[1].string else { return nil }
            return Double(score)
        }.min()
        return next.map { RQTime.rounded(Date(timeIntervalSince1970: $0)) }
    }

    public func waitForChange(timeout: Duration) async {
        await waiter.wait(timeout: timeout)
    }
}
