import Foundation
import TockCore
import TockValues

extension RedisBackend: WorkerRegistry {
    public func heartbeat(_ worker: WorkerRecord, runningJobs: [JobID], now: Date) async throws -> Set<JobID> {
        let fields = RQWorkerHash.fields(worker, ipAddress: try await ipAddress())
        var arguments: [RedisArgument] = [
            RedisArgument(worker.name), RedisArgument(options.workerTTL), RedisArgument(RQTime.text(now)),
            RedisArgument(RQTime.epoch(now.addingTimeInterval(Double(options.executionTTL)))),
            RedisArgument(runningJobs.count),
        ]
        arguments += runningJobs.map { RedisArgument($0.rawValue) as RedisArgument }
        arguments.append(RedisArgument(fields.count))
        for (field, value) in fields {
            arguments.append(RedisArgument(field))
            arguments.append(RedisArgument(value))
        }
        arguments += worker.queues.map { RedisArgument($0) as RedisArgument }
        let reply = try await script(RedisScripts.heartbeat, arguments)
        listenForCommands(to: worker.name)
        return Set((reply.array ?? []).compactMap { $0.string.map(JobID.init(unchecked:)) })
    }

    /// This process's address as the server sees it (`CLIENT INFO`'s `addr`), which RQ keeps
    /// in a worker's `ip_address`; `unknown`, as RQ writes, where the server does not say.
    /// Asked once: a reconnection changes only the port.
    private func ipAddress() async throws -> String {
        if let known = clientAddress.withLock({ $0 }) { return known }
        let address: String
        do {
            let info = try await connection.send(["CLIENT", "INFO"]).string ?? ""
            address = info.split(separator: " ").first { $0.hasPrefix("addr=") }.map { String($0.dropFirst(5)) } ?? "unknown"
        } catch .server {
            address = "unknown"  // before Redis 6.2, or an ACL without CLIENT INFO
        } catch {
            throw TockError.backendUnavailable(url.description, detail: error.description)
        }
        clientAddress.withLock { $0 = address }
        return address
    }

    public func unregisterWorker(_ name: String) async throws {
        stopListening(to: name)
        let key = keys.worker(name)
        let queues = try await send(["HGET", RedisArgument(key), "queues"]).string?.split(separator: ",").map(String.init) ?? []
        _ = try await redis { () throws(RedisError) in
            try await connection.transaction(
                [["DEL", RedisArgument(key)], ["SREM", RedisArgument(keys.workers), RedisArgument(key)]]
                    + queues.map { ["SREM", RedisArgument(keys.workers($0)), RedisArgument(key)] as [RedisArgument] })
        }
    }

    public func workers() async throws -> [WorkerRecord] {
        let workerKeys = try await send(["SMEMBERS", RedisArgument(keys.workers)]).array?.compactMap(\.string) ?? []
        let hashes = try await pipeline(workerKeys.map { ["HGETALL", RedisArgument($0)] })
        var records: [WorkerRecord] = []
        var gone: [String] = []
        for (key, reply) in zip(workerKeys, hashes) {
            guard let name = keys.workerName(fromKey: key) else { continue }
            let hash = reply.hash
            // A key that expired (its worker died) leaves its name in the set, as in RQ.
            guard !hash.isEmpty, hash["death"] == nil, let record = RQWorkerHash.record(name: name, hash: hash) else {
                gone.append(key)
                continue
            }
            records.append(record)
        }
        if !gone.isEmpty { _ = try await send(["SREM", RedisArgument(keys.workers)] + gone.map { RedisArgument($0) as RedisArgument }) }
        return records.sorted { $0.name < $1.name }
    }

    public func recoverAbandonedJobs(now: Date, heartbeatTimeout: TimeInterval, failureTTL: Int) async throws -> [Job] {
        let cutoff = now.addingTimeInterval(-heartbeatTimeout)
        let dead = try await workers().filter { $0.lastHeartbeat < cutoff }.map(\.name)
        let ids = try await jobIDs(.started, queues: try await queueNames())
        var recovered: [Job] = []
        for id in ids {
            let changed = try? await update(
                JobID(unchecked: id), result: { [self] old, new in resultEntry(for: new, worker: old.worker ?? "") },
                { job in
                    guard job.status == .started, job.worker != nil, (job.lastHeartbeat ?? job.startedAt ?? now) < cutoff
                    else { return nil }
                    return job.abandoned(now: now, failureTTL: failureTTL)
                })
            if let job = changed?.new {
                recovered.append(job)
                try await endBatchIfDone(job, now: now)
            }
        }
        for name in dead { try await unregisterWorker(name) }
        try await endOpenBatches(now: now)
        return recovered
    }

    public func purgeExpired(now: Date) async throws -> Int {
        let queues = try await queueNames()
        var registries: [(queue: String, key: String)] = []
        for queue in queues {
            registries += [keys.finished(queue), keys.failed(queue), keys.canceled(queue)].map { (queue, $0) }
        }
        let expired = try await pipeline(
            registries.map { ["ZRANGEBYSCORE", RedisArgument($0.key), "-inf", RedisArgument(RQTime.epoch(now))] })
        var count = 0
        var commands: [[RedisArgument]] = []
        for (registry, reply) in zip(registries, expired) {
            for id in (reply.array ?? []).compactMap(\.string) {
                count += 1
                commands.append(["ZREM", RedisArgument(registry.key), RedisArgument(id)])
                commands.append(["ZREM", RedisArgument(keys.stopped(registry.queue)), RedisArgument(id)])
                commands.append(["DEL", RedisArgument(keys.job(id)), RedisArgument(keys.results(id))])
            }
        }
        for reply in try await pipeline(commands) {
            if case .error(let message) = reply { throw TockError.backendUnavailable(url.description, detail: message) }
        }
        return count
    }
}

/// A worker as the hash `rq:worker:<name>` holds it (RQ's fields).
enum RQWorkerHash {
    static func fields(_ worker: WorkerRecord, ipAddress: String) -> [(String, String)] {
        [
            ("birth", RQTime.text(worker.birth)), ("last_heartbeat", RQTime.text(worker.lastHeartbeat)),
            ("queues", worker.queues.joined(separator: ",")), ("pid", String(worker.pid)), ("hostname", worker.hostname),
            ("ip_address", ipAddress), ("version", "tock"), ("python_version", ""), ("state", worker.state.rawValue),
            ("current_job", worker.currentJob?.rawValue ?? ""), ("successful_job_count", String(worker.successfulJobCount)),
            ("failed_job_count", String(worker.failedJobCount)), ("total_working_time", String(worker.totalWorkingTime)),
        ]
    }

    static func record(name: String, hash: [String: [UInt8]]) -> WorkerRecord? {
        guard let birth = hash.text("birth").flatMap(RQTime.date) else { return nil }
        let state: WorkerRecord.State =
            switch hash.text("state") {
            case "busy": .busy
            case "suspended": .suspended
            default: .idle
            }
        // Another client's worker hash: a count or time that is not a number in range reads as 0
        // (a listing of workers shows it; nothing runs on it).
        func number(_ field: String, in range: ClosedRange<Int>) -> Int {
            hash.text(field).flatMap { try? CheckedInteger.integer($0, field: field, in: range, rounding: .down) } ?? 0
        }
        let workingTime = hash.text("total_working_time").flatMap { Double($0) } ?? 0
        return WorkerRecord(
            name: name, hostname: hash.text("hostname") ?? "", pid: Int32(number("pid", in: 0...Int(Int32.max))),
            queues: hash.text("queues")?.split(separator: ",").map(String.init) ?? [], state: state,
            currentJob: hash.text("current_job").map(JobID.init(unchecked:)),
            successfulJobCount: number("successful_job_count", in: 0...Int.max),
            failedJobCount: number("failed_job_count", in: 0...Int.max),
            totalWorkingTime: workingTime.isFinite && workingTime >= 0 ? workingTime : 0, birth: birth,
            lastHeartbeat: hash.text("last_heartbeat").flatMap(RQTime.date) ?? birth)
    }
}
