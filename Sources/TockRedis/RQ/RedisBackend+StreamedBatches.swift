import Foundation
import TockCore
import TockValues

/// Streamed batches (see ``TockCore/BatchStore/openBatch(_:)``). The batch hash's `sealed`
/// field is `0` while open (absent: a batch created whole). The seal is one guarded write
/// of that field; the chunks are then moved from `rq:deferred:<queue>` to their queue a
/// page at a time. Should the process die in between, the maintenance that ends open
/// batches (``endOpenBatches(now:)``) queues the rest: a sealed batch always runs whole.
extension RedisBackend {
    /// Chunks per read and per write.
    static let batchPage = 500

    public func openBatch(_ batch: Batch) async throws -> BatchStatus? {
        for _ in 0..<3 {
            if let existing = try await self.batch(batch.id) { return existing }
            let key = keys.batch(batch.id)
            var unit = RedisWrite.Unit()
            unit.requireAbsent(key)
            var fields: [RedisArgument] = [
                "HSET", RedisArgument(key), "name", RedisArgument(batch.name), "queue", RedisArgument(batch.queue),
                "total", "0", "created_at", RedisArgument(RQTime.text(batch.createdAt)),
                "on_complete_timeout", RedisArgument(batch.onCompleteTimeout), "completed_at", "", "sealed", "0",
            ]
            if let onComplete = batch.onComplete { fields += ["on_complete", RedisArgument(onComplete)] }
            unit.run(fields)
            unit.run(["SADD", RedisArgument(keys.openBatches), RedisArgument(batch.id)])
            unit.run(["SADD", RedisArgument(keys.groups), RedisArgument(batch.id)])
            var write = RedisWrite()
            write.append(unit)
            if case .success = try await run(write) { return nil }
        }
        throw TockError.backendUnavailable(url.description, detail: "batch '\(batch.id)' kept changing while being opened; try again")
    }

    public func appendChunks(_ chunks: [Job], toBatch id: String) async throws {
        // Only the chunks are checked here; that the batch is open, by the write itself
        // (reading the batch's status would count every chunk at every append).
        let open = Batch(id: id, name: "", queue: "", total: 0, createdAt: Date(), sealed: false)
        if let problem = open.appendProblem(chunks) { throw TockError.invalidArgument(problem) }
        var guardUnit = RedisWrite.Unit()
        guardUnit.require(keys.batch(id), field: "sealed", is: "0")
        var write = RedisWrite()
        write.append(guardUnit)
        for chunk in chunks { write.append(insertUnit(chunk.roundedToMicroseconds(), maxQueued: nil, idempotent: false)) }
        switch try await run(write) {
        case .success: return
        case .failure(.exists(let unit, _)) where unit > 1 && unit - 2 < chunks.count:
            // Units count from 1: the guard, then the chunks.
            throw TockError.invalidArgument(
                "batch '\(id)' collides with existing job '\(chunks[unit - 2].id)'; choose another batch id")
        case .failure(.changed(unit: 1, _, _, _)):
            throw TockError.invalidArgument("no open batch '\(id)': it is sealed or does not exist; it takes no more chunks")
        case .failure(let refusal): throw TockError.invalidArgument("batch '\(id)' refused the chunks: \(refusal)")
        }
    }

    public func sealBatch(_ id: String, maxQueued: [String: Int], now: Date) async throws -> Batch {
        guard let status = try await batch(id) else { throw TockError.invalidArgument("no open batch '\(id)'") }
        if status.batch.sealed { return status.batch }
        let waiting = status.count(.deferred)
        // Checked before the seal, not in it: a queue filled by others in between may
        // exceed its maximum by this batch (the seal of 100,000 chunks is not one script).
        if let maximum = maxQueued[status.batch.queue], waiting > 0 {
            let queued = try await send(["LLEN", RedisArgument(keys.queue(status.batch.queue))]).integer ?? 0
            if Int(queued) + waiting > maximum { throw TockError.queueFull(status.batch.queue, maxQueued: maximum) }
        }
        var unit = RedisWrite.Unit()
        unit.require(keys.batch(id), field: "sealed", is: "0")
        unit.run(["HSET", RedisArgument(keys.batch(id)), "sealed", "1", "total", RedisArgument(status.counts.values.reduce(0, +))])
        var write = RedisWrite()
        write.append(unit)
        if case .failure(let refusal) = try await run(write) {
            throw TockError.invalidArgument("batch '\(id)' could not be sealed: \(refusal)")
        }
        try await releaseChunks(of: id, now: now)
        try await endBatch(id, now: now)
        guard let sealed = try await batch(id) else { throw TockError.invalidArgument("batch '\(id)' vanished") }
        return sealed.batch
    }

    public func discardBatch(_ id: String) async throws -> Bool {
        guard let status = try await batch(id), !status.batch.sealed else { return false }
        try await forEachChunkPage(of: id) { members in
            var commands: [[RedisArgument]] = []
            for member in members {
                commands.append(["ZREM", RedisArgument(keys.deferred(status.batch.queue)), RedisArgument(member)])
                commands.append(["DEL", RedisArgument(keys.job(member))])
            }
            if !commands.isEmpty { _ = try await pipeline(commands) }
        }
        _ = try await pipeline([
            ["DEL", RedisArgument(keys.group(id)), RedisArgument(keys.batch(id))],
            ["SREM", RedisArgument(keys.openBatches), RedisArgument(id)],
            ["SREM", RedisArgument(keys.groups), RedisArgument(id)],
        ])
        return true
    }

    /// Queues the sealed batch's `deferred` chunks, a page at a time; a page whose chunk
    /// changed meanwhile (canceled) is read again. Only each chunk's status is read: the
    /// change (``TockCore/Job/releasedFromBatch(now:)``) touches nothing else, so it is
    /// written from a skeleton of the chunk (its id, queue, batch and status) rather than
    /// from chunks of up to 1 MiB each decoded 500 at a time.
    func releaseChunks(of id: String, now: Date) async throws {
        guard let batch = try await batch(id)?.batch else { return }
        let now = MicrosecondTime.rounded(now)
        try await forEachChunkPage(of: id) { members in
            for attempt in 0..<20 {
                let statuses = try await pipeline(members.map { ["HGET", RedisArgument(keys.job($0)), "status"] })
                let waiting = zip(members, statuses).filter { $0.1.string == JobStatus.deferred.rawValue }.map(\.0)
                if waiting.isEmpty { break }
                var write = RedisWrite()
                for member in waiting {
                    let chunk = Job(
                        id: JobID(unchecked: member), name: batch.name, queue: batch.queue, timeout: batch.onCompleteTimeout,
                        status: .deferred, createdAt: batch.createdAt, batch: id, origin: "batch:\(id)")
                    write.append(transitionUnit(from: chunk, to: chunk.releasedFromBatch(now: now)))
                }
                if case .success = try await run(write) { break }
                if attempt == 19 {
                    throw TockError.backendUnavailable(url.description, detail: "batch '\(id)': its chunks kept changing while being queued")
                }
            }
        }
    }

    /// The ids of batch `id`'s chunks, a page (``batchPage``) at a time, by `SSCAN`.
    func forEachChunkPage(of id: String, _ body: ([String]) async throws -> Void) async throws {
        var cursor = "0"
        repeat {
            let reply = try await send([
                "SSCAN", RedisArgument(keys.group(id)), RedisArgument(cursor), "COUNT", RedisArgument(Self.batchPage),
            ]).array ?? []
            cursor = reply.first?.string ?? "0"
            try await body(reply.count > 1 ? reply[1].array?.compactMap(\.string) ?? [] : [])
        } while cursor != "0"
    }
}
