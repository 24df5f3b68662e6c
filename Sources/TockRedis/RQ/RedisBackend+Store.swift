import Foundation
import TockCore
import TockValues

extension RedisBackend: JobStore {
    /// Reads jobs by id in one round trip (nil for missing ones). Jobs whose data cannot be
    /// read (RQ's pickle jobs) read as `(unreadable)` with the reason as their error.
    func readJobs(_ ids: [String], withResults: Bool) async throws(TockError) -> [Job?] {
        if ids.isEmpty { return [] }
        var commands: [[RedisArgument]] = []
        for id in ids {
            commands.append(["HGETALL", RedisArgument(keys.job(id))])
            if withResults { commands.append(["XREVRANGE", RedisArgument(keys.results(id)), "+", "-", "COUNT", "1"]) }
        }
        let replies = try await pipeline(commands)
        let stride = withResults ? 2 : 1
        return ids.enumerated().map { (index, id) -> Job? in
            let hash = replies[index * stride].hash
            guard !hash.isEmpty else { return nil }
            var result: RQResult?
            if withResults, let entry = replies[index * stride + 1].array?.first?.array, entry.count == 2 {
                result = RQResult(fields: entry[1].hash, zlib: zlib)
            }
            do throws(RQJobHash.Unreadable) {
                return try RQJobHash.job(id: id, hash: hash, latestResult: result, zlib: zlib)
            } catch {
                return RQJobHash.placeholder(id: id, hash: hash, reason: error.detail, zlib: zlib)
            }
        }
    }

    /// The jobs already stored under the ids of those in `jobs` that an idempotent write
    /// skipped (`written[i]` false), by id.
    func storedJobs(_ jobs: [Job], skippedBy written: [Bool], withResults: Bool) async throws(TockError) -> [JobID: Job] {
        let ids = jobs.indices.filter { !written[$0] }.map { jobs[$0].id.rawValue }
        var byID: [JobID: Job] = [:]
        for job in try await readJobs(ids, withResults: withResults).compactMap({ $0 }) { byID[job.id] = job }
        return byID
    }

    public func job(_ id: JobID) async throws -> Job? {
        try await readJobs([id.rawValue], withResults: true).first ?? nil
    }

    /// The keys (lists and sorted sets) that hold jobs of `status` in `queue`.
    func registries(_ status: JobStatus?, queue: String) -> [(key: String, isList: Bool)] {
        let all: [JobStatus] = status.map { [$0] } ?? [.queued, .started, .finished, .failed, .scheduled, .deferred, .canceled]
        return all.map { status in
            switch status {
            case .queued: (keys.queue(queue), true)
            case .started: (keys.wip(queue), false)
            case .finished: (keys.finished(queue), false)
            case .failed: (keys.failed(queue), false)
            case .stopped: (keys.stopped(queue), false)
            case .scheduled: (keys.scheduled(queue), false)
            case .deferred: (keys.deferred(queue), false)
            case .canceled: (keys.canceled(queue), false)
            }
        }
    }

    /// Ids held by the registries of `status` in `queues` (RQ keeps no index of all jobs):
    /// all of them, or with `newest`, at most that many of each registry, from its newest
    /// end (a list's tail, a sorted set's highest scores: the latest to end or run).
    func jobIDs(_ status: JobStatus?, queues: [String], newest: Int? = nil) async throws(TockError) -> [String] {
        let sources = queues.flatMap { registries(status, queue: $0) }
        let first = RedisArgument(newest.map { -$0 } ?? 0)
        let commands: [[RedisArgument]] = sources.map { source in
            let key = RedisArgument(source.key)
            if source.isList { return ["LRANGE", key, first, "-1"] }
            return newest.map { ["ZRANGE", key, "0", RedisArgument($0 - 1), "REV"] } ?? ["ZRANGE", key, "0", "-1"]
        }
        let replies = try await pipeline(commands)
        var seen: Set<String> = []
        var ids: [String] = []
        for member in replies.flatMap({ $0.array ?? [] }).compactMap(\.string) {
            // `wip` members are `<job id>:<execution id>`.
            let id = member.split(separator: ":", maxSplits: 1).first.map(String.init) ?? member
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    public func queueCounts() async throws -> [String: [JobStatus: Int]] {
        let queues = try await queueNames()
        let order: [JobStatus] = [.queued, .started, .finished, .failed, .scheduled, .deferred, .canceled, .stopped]
        // Ended jobs' registries score by expiry: members past it are jobs Redis already
        // expired, left for the next cleanup (RQ's or ``purgeExpired(now:)``), not counted.
        let now = RedisArgument("(" + RQTime.epoch(Date()))
        let scoredByExpiry: Set<JobStatus> = [.finished, .failed, .canceled, .stopped]
        var commands: [[RedisArgument]] = []
        for queue in queues {
            for status in order {
                let (key, isList) = registries(status, queue: queue)[0]
                if isList {
                    commands.append(["LLEN", RedisArgument(key)])
                } else if scoredByExpiry.contains(status) {
                    commands.append(["ZCOUNT", RedisArgument(key), now, "+inf"])
                } else {
                    commands.append(["ZCARD", RedisArgument(key)])
                }
            }
        }
        let replies = try await pipeline(commands)
        var counts: [String: [JobStatus: Int]] = [:]
        for (queueIndex, queue) in queues.enumerated() {
            var byStatus: [JobStatus: Int] = [:]
            for (statusIndex, status) in order.enumerated() {
                byStatus[status] = Int(replies[queueIndex * order.count + statusIndex].integer ?? 0)
            }
            // RQ keeps stopped jobs in its failed registry.
            byStatus[.failed, default: 0] -= byStatus[.stopped, default: 0]
            let nonzero = byStatus.filter { $0.value > 0 }
            if !nonzero.isEmpty { counts[queue] = nonzero }
        }
        return counts
    }

    public func cancel(_ id: JobID, now: Date, failureTTL: Int) async throws -> Job {
        guard let canceled = try await update(id, { try $0.canceled(now: now, failureTTL: failureTTL) })?.new else {
            throw TockError.jobNotFound(id)
        }
        try await endBatchIfDone(canceled, now: now)
        return canceled
    }

    public func requestStop(_ id: JobID, now: Date) async throws -> Job {
        guard let stopping = try await update(id, { try $0.stopRequested(now: now) })?.new else { throw TockError.jobNotFound(id) }
        return stopping
    }

    public func requeue(_ id: JobID, now: Date) async throws -> Job {
        guard let requeued = try await update(id, { try $0.requeued(now: now) })?.new else { throw TockError.jobNotFound(id) }
        return requeued
    }

    public func requeueFailed(now: Date) async throws -> [Job] {
        let ids = try await jobIDs(.failed, queues: try await queueNames())
        var requeued: [Job] = []
        for id in ids {
            let changed = try? await update(JobID(unchecked: id)) { job in job.status == .failed ? try job.requeued(now: now) : nil }
            if let job = changed?.new { requeued.append(job) }
        }
        return requeued
    }

    public func delete(_ id: JobID) async throws -> Bool {
        try await delete(id) { _ in true }
    }

    /// Deletes the job if `condition` holds for it as it is read, in one write that fails
    /// (and is tried again) if its status changed meanwhile.
    func delete(_ id: JobID, if condition: (Job) -> Bool) async throws -> Bool {
        for _ in 0..<20 {
            guard let job = try await readJobs([id.rawValue], withResults: false).first ?? nil, condition(job) else { return false }
            var unit = RedisWrite.Unit()
            let key = keys.job(id.rawValue)
            unit.require(key, field: "status", is: job.status.rawValue)
            unit.run(leave(job))
            unit.run(["DEL", RedisArgument(key), RedisArgument(keys.results(id.rawValue)), RedisArgument(keys.executions(id.rawValue))])
            if let batch = job.batch { unit.run(["SREM", RedisArgument(keys.group(batch)), RedisArgument(id.rawValue)]) }
            var write = RedisWrite()
            write.append(unit)
            if case .success = try await run(write) { return true }
        }
        throw TockError.backendUnavailable(url.description, detail: "job '\(id)' kept changing while being deleted; try again")
    }
}
