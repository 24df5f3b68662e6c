import Foundation
import TockCore

enum BatchChecks {
    static func makeBatch(_ id: String, chunks: Int, onComplete: String?) -> (Batch, [Job]) {
        let batch = Batch(id: id, name: "app.tasks.invoice", queue: "default", total: chunks, createdAt: t0, onComplete: onComplete)
        let jobs = (1...chunks).map { makeJob("\(id)-\($0)", name: "app.tasks.invoice", at: t0 + Double($0) / 1000, batch: id) }
        return (batch, jobs)
    }

    @Sendable static func batchesCountChunksAndCompleteOnce(_ backend: any TockBackend) async throws {
        let (batch, chunks) = makeBatch("b1", chunks: 3, onComplete: "app.tasks.invoices_done")
        try await backend.createBatch(batch, chunks: chunks, maxQueued: [:])
        try expectEqual(try await backend.batch("b1")?.count(.queued), 3, "queued chunks")
        try expectEqual(try await backend.batch("b1")?.status, .queued, "batch status before")
        for index in 0..<3 {
            guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1) else {
                throw ConformanceFailure("chunk \(index): nothing to claim")
            }
            try expectEqual(job.batch, "b1", "chunk batch")
            _ = try await backend.complete(job.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 2)
            if index == 0 { try expectEqual(try await backend.batch("b1")?.status, .started, "batch status during") }
        }
        let status = try await backend.batch("b1")
        try expectEqual(status?.status, .finished, "batch status after")
        try expectEqual(status?.count(.finished), 3, "finished chunks")
        try expectEqual(status?.batch.completedAt, t0 + 2, "completed at")
        let onComplete = try await backend.job(JobID(unchecked: "b1-complete"))
        try expectEqual(onComplete?.name, "app.tasks.invoices_done", "on_complete job")
        try expectEqual(onComplete?.kwargs["status"], "finished", "on_complete status")
        try expectEqual(onComplete?.status, .queued, "on_complete queued")
        try expectEqual(try await backend.batch("missing"), nil, "unknown batch")
    }

    @Sendable static func batchWithAFailedChunkFails(_ backend: any TockBackend) async throws {
        let (batch, chunks) = makeBatch("b2", chunks: 2, onComplete: "app.tasks.invoices_done")
        try await backend.createBatch(batch, chunks: chunks, maxQueued: [:])
        guard let first = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1),
            let second = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1)
        else { throw ConformanceFailure("nothing to claim") }
        _ = try await backend.complete(first.id, worker: "w", outcome: .failed("bad invoice", failureTTL: 100), now: t0 + 2)
        try expectEqual(try await backend.job(JobID(unchecked: "b2-complete")), nil, "on_complete before the batch ends")
        _ = try await backend.complete(second.id, worker: "w", outcome: .finished(nil, resultTTL: 100), now: t0 + 3)
        try expectEqual(try await backend.batch("b2")?.status, .failed, "batch status")
        try expectEqual(try await backend.job(JobID(unchecked: "b2-complete"))?.kwargs["status"], "failed", "on_complete status")
        // A full queue refuses the whole batch.
        let (big, bigChunks) = makeBatch("b3", chunks: 5, onComplete: nil)
        do {
            try await backend.createBatch(big, chunks: bigChunks, maxQueued: ["default": 4])
            throw ConformanceFailure("a batch larger than max_queued was accepted")
        } catch let error as TockError {
            guard case .queueFull = error else { throw ConformanceFailure("wrong error \(error)") }
        }
        try expectEqual(try await backend.batch("b3"), nil, "refused batch")
        try expectEqual(try await backend.job(JobID(unchecked: "b3-1")), nil, "refused chunk")
        // A chunk id that exists already refuses the whole batch too.
        _ = try await backend.enqueue([makeJob("b4-2")], maxQueued: [:])
        let (clashing, clashingChunks) = makeBatch("b4", chunks: 3, onComplete: nil)
        do {
            try await backend.createBatch(clashing, chunks: clashingChunks, maxQueued: [:])
            throw ConformanceFailure("a batch whose chunk id exists was accepted")
        } catch is TockError {}
        try expectEqual(try await backend.batch("b4"), nil, "clashing batch")
        try expectEqual(try await backend.job(JobID(unchecked: "b4-1")), nil, "chunk of a clashing batch")
    }
}
