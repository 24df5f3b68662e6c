import Foundation
import TockCore
import TockValues

/// How a job's record moves between RQ's registries, in one place: which list or sorted set
/// holds a job in each status, what a new job writes, and what every change of status
/// writes (registries, TTLs, the result stream, the event).
extension RedisBackend {
    /// The unit that stores a new job. `idempotent`: skipped when the id exists (enqueue);
    /// otherwise the write fails (a batch's chunk).
    func insertUnit(_ job: Job, maxQueued: Int?, idempotent: Bool) -> RedisWrite.Unit {
        var unit = RedisWrite.Unit()
        let key = keys.job(job.id.rawValue)
        if idempotent { unit.skipIfExists(key) } else { unit.requireAbsent(key) }
        if job.status == .queued, let maxQueued { unit.limitQueue(job.queue, to: maxQueued) }
        var command = RedisCommand(["HSET", RedisArgument(key), "data", RedisArgument(RQJobHash.data(job, zlib: zlib))])
        for (field, value) in RQJobHash.orderedFields(job) {
            command.append(field)
            command.append(value)
        }
        unit.run(command)
        unit.run(enter(job, isNew: true))
        if let batch = job.batch {
            unit.run(["SADD", RedisArgument(keys.group(batch)), RedisArgument(job.id.rawValue)])
        }
        unit.run(event(job, at: job.enqueuedAt ?? job.createdAt))
        return unit
    }

    /// The unit that turns `old` (as read) into `new`: it fails if the job's status (and,
    /// while started, its worker; with `requireStartedAt`, the claim's `started_at` too)
    /// changed since it was read.
    func transitionUnit(from old: Job, to new: Job, requireStartedAt: Bool = false, result: RQResult? = nil) -> RedisWrite.Unit {
        var unit = RedisWrite.Unit()
        let key = keys.job(old.id.rawValue)
        unit.require(key, field: "status", is: old.status.rawValue)
        if old.status == .started { unit.require(key, field: "worker_name", is: old.worker ?? "") }
        // A run's end: the claim's start time, written by that claim (see Job.isRun(by:claimedAt:)).
        if requireStartedAt, old.status == .started, let startedAt = old.startedAt {
            unit.require(key, field: "started_at", is: RQTime.text(startedAt))
        }
        let (set, delete) = RQJobHash.changes(from: old, to: new)
        if !set.isEmpty {
            var command = RedisCommand(["HSET", RedisArgument(key)])
            for (field, value) in set {
                command.append(field)
                command.append(value)
            }
            unit.run(command)
        }
        var deleted = delete
        // `old` may be this process's copy from the claim: a stop request made since is
        // still in the hash, and ends with the run.
        if old.status != new.status, !new.stopRequested, !deleted.contains("tock_stop") { deleted.append("tock_stop") }
        if !deleted.isEmpty { unit.run(["HDEL", RedisArgument(key)] + deleted.map { RedisArgument($0) as RedisArgument }) }
        if old.status != new.status {
            unit.run(leave(old))
            unit.run(enter(new))
            // As RQ's worker does when a job ends for good: jobs RQ enqueued with
            // `depends_on` it are queued once all they wait for has finished.
            if new.status == .finished || new.status == .failed {
                unit.run([
                    "tock.dependents", RedisArgument(old.id.rawValue), RedisArgument(new.status.rawValue),
                    RedisArgument(RQTime.text(new.endedAt ?? new.lastHeartbeat ?? new.createdAt)),
                ])
            }
        }
        if let result {
            let results = RedisArgument(keys.results(old.id.rawValue))
            unit.run(["XADD", results, "MAXLEN", "~", "10", "*"] + result.fields(zlib: zlib).map { RedisArgument($0) as RedisArgument })
            if let expiresAt = new.expiresAt { unit.run(["EXPIREAT", results, RedisArgument(Self.seconds(expiresAt))]) }
        }
        if old.status != new.status || old.progress != new.progress {
            unit.run(event(new, at: new.lastHeartbeat ?? new.endedAt ?? new.createdAt))
        }
        return unit
    }

    /// The result-stream entry for a run that ended `new` (nil when it did not run).
    func resultEntry(for new: Job, worker: String) -> RQResult? {
        switch new.status {
        case .finished: RQResult(type: .successful, workerName: worker, returnValue: new.result)
        case .failed, .scheduled: RQResult(type: .failed, workerName: worker, error: new.error)
        case .stopped: RQResult(type: .stopped, workerName: worker, error: new.error)
        default: nil
        }
    }

    /// Takes a job out of the registry of its status.
    func leave(_ job: Job) -> [[RedisArgument]] {
        let id = RedisArgument(job.id.rawValue)
        let queue = job.queue
        switch job.status {
        case .queued: return [["LREM", RedisArgument(keys.queue(queue)), "0", id]]
        case .started: return [["tock.endexec", RedisArgument(queue), id]]
        case .finished: return [["ZREM", RedisArgument(keys.finished(queue)), id]]
        case .failed: return [["ZREM", RedisArgument(keys.failed(queue)), id]]
        case .stopped: return [["ZREM", RedisArgument(keys.failed(queue)), id], ["ZREM", RedisArgument(keys.stopped(queue)), id]]
        case .scheduled: return [["ZREM", RedisArgument(keys.scheduled(queue)), id]]
        case .deferred: return [["ZREM", RedisArgument(keys.deferred(queue)), id]]
        case .canceled: return [["ZREM", RedisArgument(keys.canceled(queue)), id]]
        }
    }

    /// Puts a job into the registry of its status; ended jobs get their TTL, others none
    /// (a new job has none to remove).
    func enter(_ job: Job, isNew: Bool = false) -> [[RedisArgument]] {
        let id = RedisArgument(job.id.rawValue)
        let key = RedisArgument(keys.job(job.id.rawValue))
        let queue = job.queue
        let expiry = RedisArgument(RQTime.epoch(job.expiresAt ?? .distantFuture))
        var commands: [[RedisArgument]] = []
        switch job.status {
        case .queued:
            commands.append(["SADD", RedisArgument(keys.queues), RedisArgument(keys.queue(queue))])
            commands.append(["RPUSH", RedisArgument(keys.queue(queue)), id])
        case .started:
            break  // only a claim starts a job (RedisScripts.claim)
        case .finished: commands.append(["ZADD", RedisArgument(keys.finished(queue)), expiry, id])
        case .failed: commands.append(["ZADD", RedisArgument(keys.failed(queue)), expiry, id])
        case .stopped:
            commands.append(["ZADD", RedisArgument(keys.failed(queue)), expiry, id])
            commands.append(["ZADD", RedisArgument(keys.stopped(queue)), expiry, id])
        case .canceled: commands.append(["ZADD", RedisArgument(keys.canceled(queue)), expiry, id])
        case .scheduled:
            commands.append(["SADD", RedisArgument(keys.queues), RedisArgument(keys.queue(queue))])
            commands.append([
                "ZADD", RedisArgument(keys.scheduled(queue)), RedisArgument(RQTime.epoch(job.scheduledFor ?? job.createdAt)), id,
            ])
        case .deferred:
            commands.append(["ZADD", RedisArgument(keys.deferred(queue)), RedisArgument(RQTime.epoch(job.createdAt)), id])
        }
        if job.status.isTerminal, let expiresAt = job.expiresAt {
            commands.append(["EXPIREAT", key, RedisArgument(Self.seconds(expiresAt))])
        } else if !isNew {
            commands.append(["PERSIST", key])
        }
        return commands
    }

    /// The `tock.event` operation for `job`'s current status and progress.
    func event(_ job: Job, at: Date) -> [RedisArgument] {
        let progress = job.progress?.jsonText ?? ""
        return [
            "tock.event", RedisArgument(job.id.rawValue), RedisArgument(job.queue), RedisArgument(job.status.rawValue),
            RedisArgument(RQTime.text(at)), RedisArgument(progress), RedisArgument(job.batch ?? ""),
        ]
    }

    /// Whole seconds for `EXPIREAT`, rounded up so a key never expires before its time.
    static func seconds(_ date: Date) -> Int64 {
        let value = date.timeIntervalSince1970.rounded(.up)
        return value.isFinite ? Int64(min(max(value, 1), 9e15)) : 1
    }

    /// Reads `job`, lets `change` compute its next state, and writes it guarded; reads again
    /// and retries when another client changed the job in between. `change` returning nil
    /// means nothing to do.
    func update(
        _ id: JobID, requireStartedAt: Bool = false, result: @Sendable (Job, Job) -> RQResult? = { _, _ in nil },
        _ change: @Sendable (Job) throws -> Job?
    ) async throws -> (old: Job, new: Job)? {
        for _ in 0..<20 {
            guard let old = try await readJobs([id.rawValue], withResults: false).first ?? nil else {
                throw TockError.jobNotFound(id)
            }
            guard let new = try change(old)?.roundedToMicroseconds() else { return nil }
            var write = RedisWrite()
            write.append(transitionUnit(from: old, to: new, requireStartedAt: requireStartedAt, result: result(old, new)))
            switch try await run(write) {
            case .success: return (old, new)
            case .failure(.changed): continue
            case .failure(let refusal): throw TockError.invalidArgument("job '\(id)': write refused (\(refusal))")
            }
        }
        throw TockError.backendUnavailable(url.description, detail: "job '\(id)' kept changing while being updated; try again")
    }
}
