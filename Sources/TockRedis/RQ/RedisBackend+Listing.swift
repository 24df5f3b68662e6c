import Foundation
import TockCore
import TockValues

/// Listings and bulk actions. RQ keeps no index of jobs by creation, so a listing reads
/// the ids of the registries its filter names (a batch's group set; else, per queue, the
/// queue list and the registry of the status, or every registry without a status), at
/// most ``JobLimits/maximumListing`` from the newest end of each, then a few fields of each
/// job (`HMGET`: creation, status, queue, worker, batch, origin) to order and pre-filter
/// them, and whole records only for the page. The cost of a page grows with the size of
/// the registries read, not with `limit`; see `docs/api.md` ("Listing cost").
extension RedisBackend: BulkJobStore {
    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        guard filter.limit > 0 else { return [] }
        let limit = min(filter.limit, JobLimits.maximumListing + 1)
        let candidates = try await candidates(filter)
        // Whole records in listing order until the page is full (a name prefix is only
        // known from the record).
        var page: [Job] = []
        var start = 0
        while page.count < limit, start < candidates.count {
            let end = min(candidates.count, start + max(limit - page.count, 16))
            let read = try await readJobs(Array(candidates[start..<end]), withResults: true)
            page += read.compactMap { $0 }.filter(filter.matches).sorted(by: JobFilter.listedBefore)
            start = end
        }
        return Array(page.prefix(limit))
    }

    /// The ids of the jobs that may match `filter`, in listing order: from the registries
    /// it names, pre-filtered on a few fields of each job (see above).
    private func candidates(_ filter: JobFilter) async throws(TockError) -> [String] {
        let ids: [String]
        if let batch = filter.batch {
            ids = try await send(["SMEMBERS", RedisArgument(keys.group(batch))]).array?.compactMap(\.string) ?? []
        } else {
            let queues: [String]
            if let queue = filter.queue { queues = [queue] } else { queues = try await queueNames() }
            ids = try await jobIDs(filter.status, queues: queues, newest: JobLimits.maximumListing)
        }
        return try await candidates(ids, filter)
    }

    /// The ids among `ids` whose creation, status, queue, worker, batch and origin match
    /// `filter` and that lie after its cursor, in listing order.
    private func candidates(_ ids: [String], _ filter: JobFilter) async throws(TockError) -> [String] {
        let fields: [RedisArgument] = ["created_at", "status", "origin", "worker_name", "group_id", "tock_origin"]
        var matching: [(id: String, place: JobCursor)] = []
        var start = 0
        while start < ids.count {
            let end = min(ids.count, start + 10_000)
            let replies = try await pipeline(ids[start..<end].map { ["HMGET", RedisArgument(keys.job($0))] + fields })
            for (id, reply) in zip(ids[start..<end], replies) {
                let values = (reply.array ?? []).map(\.string)
                guard values.count == fields.count, let createdText = values[0], let created = RQTime.date(createdText) else { continue }
                if let status = filter.status, values[1].map(RQJobHash.status) != status { continue }
                if let queue = filter.queue, values[2] != queue { continue }
                if let worker = filter.worker, values[3] != worker { continue }
                if let batch = filter.batch, values[4] != batch { continue }
                if let origin = filter.origin, !(values[5] ?? "rq").hasPrefix(origin) { continue }
                let microseconds = MicrosecondTime.microseconds(created)
                if let since = filter.since, microseconds < MicrosecondTime.microseconds(since) { continue }
                if let until = filter.until, microseconds >= MicrosecondTime.microseconds(until) { continue }
                let place = JobCursor(createdAt: microseconds, id: JobID(unchecked: id))
                if let cursor = filter.cursor, !cursor.isListedBefore(place) { continue }
                matching.append((id, place))
            }
            start = end
        }
        return matching.sorted { $0.place.isListedBefore($1.place) }.map(\.id)
    }

    /// Requeues the ended jobs `filter` matches, one conditional write per job (a job that
    /// changed meanwhile is read again; one that no longer matches is skipped).
    public func requeue(matching filter: JobFilter, now: Date) async throws -> Int {
        let unbounded = Self.withoutCursor(filter)
        return try await inChunks(filter) { job in
            do {
                let changed = try await self.update(job.id) { current in
                    current.status.isTerminal && unbounded.matches(current) ? try current.requeued(now: now) : nil
                }
                return changed != nil
            } catch TockError.backendUnavailable(let url, let detail) {
                // The backend went away: say so rather than report a smaller count.
                throw TockError.backendUnavailable(url, detail: detail)
            } catch {
                // This job cannot be requeued as it now stands (it changed meanwhile): skipped.
                return false
            }
        }
    }

    /// Deletes the jobs `filter` matches but running ones, each only as it was read.
    public func delete(matching filter: JobFilter) async throws -> Int {
        let unbounded = Self.withoutCursor(filter)
        return try await inChunks(filter) { job in
            try await self.delete(job.id) { current in current.status != .started && unbounded.matches(current) }
        }
    }

    private static func withoutCursor(_ filter: JobFilter) -> JobFilter {
        var filter = filter
        filter.cursor = nil
        return filter
    }

    /// Reads the candidates of `filter`, then their records ``BulkChunk/size`` at a time;
    /// `act` gets each job that matches as read and says whether it changed it. Candidates
    /// are read again while a pass was cut at ``JobLimits/maximumListing`` ids and changed
    /// something (the jobs it changed left the registries read).
    private func inChunks(_ filter: JobFilter, _ act: (Job) async throws -> Bool) async throws -> Int {
        let unbounded = Self.withoutCursor(filter)
        var count = 0
        while true {
            let ids = try await candidates(unbounded)
            var changed = 0
            var start = 0
            while start < ids.count {
                let end = min(ids.count, start + BulkChunk.size)
                let jobs = try await readJobs(Array(ids[start..<end]), withResults: false).compactMap { $0 }.filter(unbounded.matches)
                for job in jobs where try await act(job) { changed += 1 }
                start = end
            }
            count += changed
            guard changed > 0, ids.count >= JobLimits.maximumListing else { return count }
        }
    }
}
