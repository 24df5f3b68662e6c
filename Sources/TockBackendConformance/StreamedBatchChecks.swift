import Foundation
import TockCore

/// Streamed batches: opened, filled with `deferred` chunks, sealed or discarded.
enum StreamedBatchChecks {
    static func chunk(_ batch: String, _ index: Int) -> Job {
        var job = makeJob("\(batch)-\(index)", name: "app.tasks.invoice", at: t0 + Double(index) / 1000, batch: batch)
        job.status = .deferred
        job.enqueuedAt = nil
        return job
    }

    static func openBatch(_ id: String, onComplete: String? = nil) -> Batch {
        Batch(id: id, name: "app.tasks.invoice", queue: "default", total: 0, createdAt: t0, onComplete: onComplete, sealed: false)
    }

    /// Chunks of an open batch wait; nothing runs until the seal, which queues them all
    /// and fixes the total; the batch then ends as any other.
    @Sendable static func openBatchRunsNothingUntilSealed(_ backend: any TockBackend) async throws {
        try expectEqual(try await backend.openBatch(openBatch("s1", onComplete: "app.tasks.done")), nil, "opening a new batch")
        try await backend.appendChunks((1...3).map { chunk("s1", $0) }, toBatch: "s1")
        try await backend.appendChunks([chunk("s1", 4)], toBatch: "s1")
        let open = try await backend.batch("s1")
        try expectEqual(open?.batch.sealed, false, "sealed before the seal")
        try expectEqual(open?.count(.deferred), 4, "deferred chunks")
        try expectEqual(open?.status, .deferred, "status while open")
        try expectEqual(open?.hasEnded, false, "ended while open")
        try expectEqual(try await backend.claim(from: ["default"], worker: "w", now: t0 + 1), nil, "a claim before the seal")
        // Opening the same id again stores nothing and answers with the open batch.
        try expectEqual(try await backend.openBatch(openBatch("s1"))?.batch.sealed, false, "re-opening an open batch")
        let sealed = try await backend.sealBatch("s1", maxQueued: [:], now: t0 + 2)
        try expectEqual(sealed.sealed, true, "sealed")
        try expectEqual(sealed.total, 4, "total at the seal")
        let status = try await backend.batch("s1")
        try expectEqual(status?.count(.queued), 4, "queued after the seal")
        try expectEqual(try await backend.job(JobID(unchecked: "s1-1"))?.enqueuedAt, t0 + 2, "enqueued at the seal")
        try expectEqual(try await backend.openBatch(openBatch("s1"))?.batch.total, 4, "re-opening a sealed batch")
        do {
            try await backend.appendChunks([chunk("s1", 5)], toBatch: "s1")
            throw ConformanceFailure("a sealed batch took another chunk")
        } catch is TockError {}
        for _ in 0..<4 {
            guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0 + 3) else {
                throw ConformanceFailure("a sealed chunk could not be claimed")
            }
            _ = try await backend.complete(job.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 4)
        }
        let ended = try await backend.batch("s1")
        try expectEqual(ended?.status, .finished, "status after every chunk finished")
        try expectEqual(ended?.percentDone, 100, "progress")
        try expectEqual(try await backend.job(JobID(unchecked: "s1-complete"))?.status, .queued, "on_complete queued")
    }

    /// A discarded open batch leaves nothing; a sealed one cannot be discarded; a full
    /// queue refuses the seal and leaves the batch open, to be discarded.
    @Sendable static func discardAndFullQueueLeaveNothingRunning(_ backend: any TockBackend) async throws {
        _ = try await backend.openBatch(openBatch("s2"))
        try await backend.appendChunks((1...3).map { chunk("s2", $0) }, toBatch: "s2")
        try expectEqual(try await backend.discardBatch("s2"), true, "discarding an open batch")
        try expectEqual(try await backend.batch("s2"), nil, "a discarded batch")
        try expectEqual(try await backend.job(JobID(unchecked: "s2-1")), nil, "a discarded batch's chunk")
        // The id is free again.
        try expectEqual(try await backend.openBatch(openBatch("s2")), nil, "re-opening a discarded id")
        try await backend.appendChunks([chunk("s2", 1)], toBatch: "s2")
        _ = try await backend.sealBatch("s2", maxQueued: [:], now: t0 + 1)
        try expectEqual(try await backend.discardBatch("s2"), false, "discarding a sealed batch")
        try expectEqual(try await backend.job(JobID(unchecked: "s2-1"))?.status, .queued, "a sealed batch's chunk")
        // A full queue: one queued already (s2-1), room for three, four more refused.
        _ = try await backend.openBatch(openBatch("s3"))
        try await backend.appendChunks((1...4).map { chunk("s3", $0) }, toBatch: "s3")
        do {
            _ = try await backend.sealBatch("s3", maxQueued: ["default": 3], now: t0 + 2)
            throw ConformanceFailure("a seal past max_queued was accepted")
        } catch let error as TockError {
            guard case .queueFull = error else { throw ConformanceFailure("wrong error \(error)") }
        }
        try expectEqual(try await backend.batch("s3")?.batch.sealed, false, "a refused seal leaves the batch open")
        try expectEqual(try await backend.job(JobID(unchecked: "s3-1"))?.status, .deferred, "a refused seal's chunk")
        try expectEqual(try await backend.discardBatch("s3"), true, "discarding the refused batch")
        try expectEqual(try await backend.jobs(matching: JobFilter(batch: "s3")).count, 0, "chunks left of the refused batch")
        // A chunk whose id exists refuses the append, all of it.
        _ = try await backend.enqueue([makeJob("s4-2")], maxQueued: [:])
        _ = try await backend.openBatch(openBatch("s4"))
        do {
            try await backend.appendChunks((1...3).map { chunk("s4", $0) }, toBatch: "s4")
            throw ConformanceFailure("a chunk with an existing id was appended")
        } catch is TockError {}
        try expectEqual(try await backend.job(JobID(unchecked: "s4-1")), nil, "a chunk of a refused append")
    }
}
