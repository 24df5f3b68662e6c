import Foundation

/// Streamed batches (see ``BatchStore/openBatch(_:)``) in memory.
extension MemoryBackend {
    public func openBatch(_ batch: Batch) -> BatchStatus? {
        if let existing = batchStatus(batch.id) { return existing }
        var open = batch
        open.sealed = false
        open.total = 0
        batches[batch.id] = open
        return nil
    }

    public func appendChunks(_ chunks: [Job], toBatch id: String) throws {
        guard let batch = batches[id] else { throw TockError.invalidArgument("no open batch '\(id)'") }
        if let problem = batch.appendProblem(chunks) { throw TockError.invalidArgument(problem) }
        var seen: Set<JobID> = []
        if let clash = chunks.first(where: { jobs[$0.id] != nil || !seen.insert($0.id).inserted }) {
            throw TockError.invalidArgument("batch '\(id)' collides with existing job '\(clash.id)'; choose another batch id")
        }
        for chunk in chunks { insert(chunk) }
    }

    public func sealBatch(_ id: String, maxQueued: [String: Int], now: Date) throws -> Batch {
        guard var batch = batches[id] else { throw TockError.invalidArgument("no open batch '\(id)'") }
        if batch.sealed { return batch }
        // In creation order, so the chunks are claimed in the order they were streamed.
        let chunks = creationOrder.compactMap { jobs[$0] }.filter { $0.batch == id }
        let releasing = chunks.filter { $0.status == .deferred }
        for (queue, count) in Dictionary(grouping: releasing, by: \.queue).mapValues(\.count) {
            if let maximum = maxQueued[queue], queuedCount(queue) + count > maximum {
                throw TockError.queueFull(queue, maxQueued: maximum)
            }
        }
        for chunk in releasing { store(chunk.releasedFromBatch(now: now)) }
        batch.sealed = true
        batch.total = chunks.count
        batches[id] = batch
        // Chunks canceled while they waited may have ended the batch already.
        if let (ended, onComplete) = batchStatus(id)?.ending(now: now) {
            batches[id] = ended
            if let onComplete, jobs[onComplete.id] == nil { insert(onComplete) }
            batch = ended
        }
        signal()
        return batch
    }

    public func discardBatch(_ id: String) -> Bool {
        guard let batch = batches[id], !batch.sealed else { return false }
        let chunks = Set(jobs.values.filter { $0.batch == id }.map(\.id))
        for chunk in chunks { jobs[chunk] = nil }
        creationOrder.removeAll { chunks.contains($0) }
        batches[id] = nil
        return true
    }
}
