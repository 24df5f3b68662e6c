import Foundation
import TockCore

extension RedisBackend: SchedulerStore {
    public func acquireLease(holder: String, duration: TimeInterval, now: Date) async throws -> SchedulerLease? {
        let expiry = RQTime.epoch(now.addingTimeInterval(duration))
        let reply = try await script(
            RedisScripts.acquireLease, [RedisArgument(holder), RedisArgument(RQTime.epoch(now)), RedisArgument(expiry)])
        guard let values = reply.array, values.count == 2, let token = values[0].integer, let seconds = values[1].string.flatMap(Double.init)
        else { return nil }
        return SchedulerLease(holder: holder, token: token, expiresAt: MicrosecondTime.rounded(Date(timeIntervalSince1970: seconds)))
    }

    public func releaseLease(holder: String) async throws {
        _ = try await script(RedisScripts.releaseLease, [RedisArgument(holder)])
    }

    public func lease() async throws -> SchedulerLease? {
        let values = try await send(["HMGET", RedisArgument(keys.lease), "holder", "token", "expires_at"]).array ?? []
        guard values.count == 3, let holder = values[0].string, let token = values[1].integer,
            let seconds = values[2].string.flatMap(Double.init)
        else { return nil }
        let expiresAt = seconds <= 0 ? Date.distantPast : MicrosecondTime.rounded(Date(timeIntervalSince1970: seconds))
        return SchedulerLease(holder: holder, token: token, expiresAt: expiresAt)
    }

    public func recordFire(_ fire: FireRecord, token: Int64, maxQueued: [String: Int]) async throws -> EnqueueOutcome? {
        try await recordFires([fire], token: token, maxQueued: maxQueued).first ?? nil
    }

    /// One script for all the fires: the lease token is checked, the jobs enqueued (by id,
    /// idempotently) and the events' states set, or nothing is written.
    public func recordFires(_ fires: [FireRecord], token: Int64, maxQueued: [String: Int]) async throws -> [EnqueueOutcome?] {
        var write = RedisWrite()
        var fence = RedisWrite.Unit()
        fence.requireLease(token: token)
        for fire in fires {
            let name = RedisArgument(fire.event)
            fence.run(["tock.max", RedisArgument(keys.eventLastFire), name, RedisArgument(RQTime.epoch(fire.instant))])
            if let job = fire.job { fence.run(["HSET", RedisArgument(keys.eventLastJob), name, RedisArgument(job.id.rawValue)]) }
            if let boot = fire.bootID { fence.run(["HSET", RedisArgument(keys.eventBoot), name, RedisArgument(boot)]) }
            if let skip = fire.skip {
                // The leader records an event's instants in order, so the reason set last
                // is the latest skip's.
                fence.run(["tock.max", RedisArgument(keys.eventLastSkip), name, RedisArgument(RQTime.epoch(fire.instant))])
                fence.run(["HSET", RedisArgument(keys.eventSkipReason), name, RedisArgument(skip.reason.rawValue)])
                fence.run(["HINCRBY", RedisArgument(keys.eventSkipped), name, RedisArgument(skip.count)])
            }
        }
        write.append(fence)
        var jobs: [Job] = []
        for job in fires.compactMap(\.job) {
            let job = job.roundedToMicroseconds()
            jobs.append(job)
            write.append(insertUnit(job, maxQueued: maxQueued[job.queue], idempotent: true))
        }
        let written: [Bool]
        switch try await run(write) {
        case .success(let flags): written = Array(flags.dropFirst())
        case .failure(.fenced(let current)): throw TockError.fenced(token: token, current: Int64(current))
        case .failure(.queueFull(let queue, let maximum)): throw TockError.queueFull(queue, maxQueued: maximum)
        case .failure(let refusal): throw TockError.invalidArgument("scheduler write refused: \(refusal)")
        }
        let existingByID = try await storedJobs(jobs, skippedBy: written, withResults: false)
        var index = 0
        return fires.map { fire in
            guard fire.job != nil else { return nil }
            defer { index += 1 }
            let job = jobs[index]
            return written[index] ? EnqueueOutcome(job: job, created: true) : EnqueueOutcome(job: existingByID[job.id] ?? job, created: false)
        }
    }

    public func eventStates() async throws -> [String: EventState] {
        let replies = try await pipeline([
            ["HGETALL", RedisArgument(keys.eventLastFire)], ["HGETALL", RedisArgument(keys.eventLastJob)],
            ["HGETALL", RedisArgument(keys.eventEnabled)], ["HGETALL", RedisArgument(keys.eventBoot)],
            ["HGETALL", RedisArgument(keys.eventLastSkip)], ["HGETALL", RedisArgument(keys.eventSkipReason)],
            ["HGETALL", RedisArgument(keys.eventSkipped)], ["HGETALL", RedisArgument(keys.eventLastSuccess)],
        ])
        var states: [String: EventState] = [:]
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        for (name, value) in replies[0].hash {
            states[name, default: EventState(name: name)].lastFire = Double(text(value)).map {
                MicrosecondTime.rounded(Date(timeIntervalSince1970: $0))
            }
        }
        for (name, value) in replies[1].hash { states[name, default: EventState(name: name)].lastJob = JobID(unchecked: text(value)) }
        for (name, value) in replies[2].hash { states[name, default: EventState(name: name)].enabledOverride = text(value) == "1" }
        for (name, value) in replies[3].hash { states[name, default: EventState(name: name)].bootID = text(value) }
        for (name, value) in replies[4].hash {
            states[name, default: EventState(name: name)].lastSkip = Double(text(value)).map {
                MicrosecondTime.rounded(Date(timeIntervalSince1970: $0))
            }
        }
        for (name, value) in replies[5].hash {
            states[name, default: EventState(name: name)].lastSkipReason = FireSkip.Reason(rawValue: text(value))
        }
        for (name, value) in replies[6].hash { states[name, default: EventState(name: name)].skippedFires = Int(text(value)) ?? 0 }
        for (name, value) in replies[7].hash {
            states[name, default: EventState(name: name)].lastSuccess = Double(text(value)).map {
                MicrosecondTime.rounded(Date(timeIntervalSince1970: $0))
            }
        }
        return states
    }

    public func eventOverrides() async throws -> [String: Bool] {
        try await send(["HGETALL", RedisArgument(keys.eventEnabled)]).hash.mapValues { $0 == Array("1".utf8) }
    }

    public func setEventEnabled(_ name: String, enabled: Bool?) async throws {
        if let enabled {
            _ = try await send(["HSET", RedisArgument(keys.eventEnabled), RedisArgument(name), enabled ? "1" : "0"])
        } else {
            _ = try await send(["HDEL", RedisArgument(keys.eventEnabled), RedisArgument(name)])
        }
    }

    public func recordEventSuccess(_ name: String, at: Date) async throws {
        var write = RedisWrite()
        var unit = RedisWrite.Unit()
        unit.run(["tock.max", RedisArgument(keys.eventLastSuccess), RedisArgument(name), RedisArgument(RQTime.epoch(at))])
        write.append(unit)
        _ = try await run(write)
    }

    public func setPaused(_ paused: Bool) async throws {
        _ = try await send(paused ? ["SET", RedisArgument(keys.paused), "1"] : ["DEL", RedisArgument(keys.paused)])
    }

    public func isPaused() async throws -> Bool {
        try await send(["EXISTS", RedisArgument(keys.paused)]).integer == 1
    }
}
