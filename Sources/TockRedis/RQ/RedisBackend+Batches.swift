import Foundation
import TockCore
import TockValues

extension RedisBackend: BatchStore {
    /// Stores the batch (`rq:tock:batch:<id>`), its chunks as jobs of the RQ group
    /// `rq:group:<id>`, all or none.
    public func createBatch(_ batch: Batch, chunks: [Job], maxQueued: [String: Int]) async throws {
        let key = keys.batch(batch.id)
        if try await send(["EXISTS", RedisArgument(key)]).integer == 1 { return }
        var unit = RedisWrite.Unit()
        unit.requireAbsent(key)
        var fields: [RedisArgument] = [
            "HSET", RedisArgument(key), "name", RedisArgument(batch.name), "queue", RedisArgument(batch.queue),
            "total", RedisArgument(batch.total), "created_at", RedisArgument(RQTime.text(batch.createdAt)),
            "on_complete_timeout", RedisArgument(batch.onCompleteTimeout), "completed_at", "",
        ]
        if let onComplete = batch.onComplete { fields += ["on_complete", RedisArgument(onComplete)] }
        unit.run(fields)
        unit.run(["SADD", RedisArgument(keys.openBatches), RedisArgument(batch.id)])
        unit.run(["SADD", RedisArgument(keys.groups), RedisArgument(batch.id)])
        var write = RedisWrite()
        write.append(unit)
        for chunk in chunks { write.append(insertUnit(chunk.roundedToMicroseconds(), maxQueued: maxQueued[chunk.queue], idempotent: false)) }
        switch try await run(write) {
        case .success: return
        case .failure(.queueFull(let queue, let maximum)): throw TockError.queueFull(queue, maxQueued: maximum)
        case .failure(.exists(let unit, _)) where unit > 1:
            throw TockError.invalidArgument(
                "batch '\(batch.id)' collides with existing job '\(chunks[unit - 2].id)'; choose another batch id")
        case .failure(.exists): return  // created meanwhile by another client
        case .failure(let refusal): throw TockError.invalidArgument("batch '\(batch.id)' refused: \(refusal)")
        }
    }

    public func batch(_ id: String) async throws -> BatchStatus? {
        let hash = try await send(["HGETALL", RedisArgument(keys.batch(id))]).hash
        guard !hash.isEmpty else { return nil }
        func number(_ field: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = hash.text(field) else { return nil }
            do {
                return try CheckedInteger.integer(text, field: field, in: range)
            } catch {
                throw TockError.backendUnavailable(url.description, detail: "batch '\(id)' cannot be read: \(error)")
            }
        }
        let batch = Batch(
            id: id, name: hash.text("name") ?? "", queue: hash.text("queue") ?? "default",
            total: try number("total", in: 0...Int.max) ?? 0,
            createdAt: hash.text("created_at").flatMap(RQTime.date) ?? Date(timeIntervalSince1970: 0), onComplete: hash.text("on_complete"),
            onCompleteTimeout: try number("on_complete_timeout", in: 1...JobLimits.maximumSeconds) ?? 300,
            completedAt: hash.text("completed_at").flatMap(RQTime.date), sealed: hash.text("sealed") != "0")
        let members = try await send(["SMEMBERS", RedisArgument(keys.group(id))]).array?.compactMap(\.string) ?? []
        let statuses = try await pipeline(members.map { ["HGET", RedisArgument(keys.job($0)), "status"] })
        var counts: [JobStatus: Int] = [:]
        for status in statuses.compactMap(\.string) { counts[RQJobHash.status(status), default: 0] += 1 }
        return BatchStatus(batch: batch, counts: counts)
    }

    /// When `job` was its batch's last chunk to end: marks the batch ended and enqueues its
    /// `on_complete` job, once (the write requires the batch not yet ended). A second write
    /// after the chunk's own; should the process die between them, the next maintenance
    /// (``endOpenBatches(now:)``) ends the batch.
    func endBatchIfDone(_ job: Job, now: Date) async throws {
        guard job.status.isTerminal, let id = job.batch else { return }
        try await endBatch(id, now: now)
    }

    /// Ends every open batch whose chunks have all ended.
    func endOpenBatches(now: Date) async throws {
        let open = try await send(["SMEMBERS", RedisArgument(keys.openBatches)]).array?.compactMap(\.string) ?? []
        for id in open { try await endBatch(id, now: now) }
    }

    func endBatch(_ id: String, now: Date) async throws {
        guard let status = try await batch(id) else {
            _ = try await send(["SREM", RedisArgument(keys.openBatches), RedisArgument(id)])
            return
        }
        // A seal whose release of the chunks was cut off (the process died) is finished here.
        if status.batch.sealed, status.count(.deferred) > 0 { try await releaseChunks(of: id, now: now) }
        guard let (ended, onComplete) = status.ending(now: MicrosecondTime.rounded(now)) else { return }
        var unit = RedisWrite.Unit()
        let key = keys.batch(id)
        unit.require(key, field: "completed_at", is: "")
        unit.run(["HSET", RedisArgument(key), "completed_at", RedisArgument(RQTime.text(ended.completedAt ?? now))])
        unit.run(["SREM", RedisArgument(keys.openBatches), RedisArgument(id)])
        var write = RedisWrite()
        write.append(unit)
        if let onComplete { write.append(insertUnit(onComplete.roundedToMicroseconds(), maxQueued: nil, idempotent: true)) }
        _ = try await run(write)
    }
}
