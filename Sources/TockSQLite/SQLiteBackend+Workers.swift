import Foundation
import GRDB
import TockCore

extension SQLiteBackend: WorkerRegistry {
    /// Saves the worker's record and refreshes the heartbeat of its running jobs, in one
    /// transaction.
    ///
    /// - Returns: The ids among `runningJobs` that an operator asked to stop.
    public func heartbeat(_ worker: WorkerRecord, runningJobs: [JobID], now: Date) async throws -> Set<JobID> {
        try await write { tables in
            try tables.saveWorker(worker)
            var stops: Set<JobID> = []
            let refresh = try tables.db.cachedStatement(
                sql: "UPDATE jobs SET last_heartbeat = ? WHERE id = ? AND status = 'started' AND worker = ?")
            let stopRequested = try tables.db.cachedStatement(sql: "SELECT stop_requested FROM jobs WHERE id = ?")
            for id in runningJobs {
                try refresh.execute(arguments: [StoredTime.microseconds(now), id.rawValue, worker.name])
                guard tables.db.changesCount > 0 else { continue }
                if try Bool.fetchOne(stopRequested, arguments: [id.rawValue]) == true { stops.insert(id) }
            }
            return stops
        }
    }

    /// Deletes the worker's record (a warm shutdown); its jobs are not touched.
    public func unregisterWorker(_ name: String) async throws {
        try await write { tables in
            try tables.db.cachedStatement(sql: "DELETE FROM workers WHERE name = ?").execute(arguments: [name])
        }
    }

    /// Every registered worker, by name.
    public func workers() async throws -> [WorkerRecord] {
        try await read { tables in try tables.workers() }
    }

    /// Started jobs whose worker has no record or a heartbeat older than
    /// `now − heartbeatTimeout`, and whose own last heartbeat is that old too, become
    /// ``TockCore/Job/abandoned(now:failureTTL:)`` (retried or failed); the stale
    /// workers' records are deleted. One transaction.
    ///
    /// - Returns: The jobs changed, oldest first.
    public func recoverAbandonedJobs(now: Date, heartbeatTimeout: TimeInterval, failureTTL: Int) async throws -> [Job] {
        let cutoff = StoredTime.microseconds(now.addingTimeInterval(-heartbeatTimeout))
        return try await write { tables in
            // Through the index of started jobs; sorted here, as an ORDER BY would walk
            // the index of every job by creation instead.
            let abandoned = try tables.jobs(
                """
                WHERE status = 'started' AND worker IS NOT NULL
                    AND COALESCE(last_heartbeat, started_at, ?2) < ?1
                """, [cutoff, StoredTime.microseconds(now)]
            ).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            let recovered = try abandoned.map { job in
                let changed = try tables.store(job.abandoned(now: now, failureTTL: failureTTL), replacing: job)
                try tables.endBatchIfDone(changed, now: now)
                return changed
            }
            try tables.db.cachedStatement(sql: "DELETE FROM workers WHERE last_heartbeat < ?").execute(arguments: [cutoff])
            return recovered
        }
    }

    /// Deletes ended jobs past their expiry, and old events (see
    /// ``SQLiteBackend/Options``), in one transaction.
    ///
    /// - Returns: How many jobs were deleted.
    public func purgeExpired(now: Date) async throws -> Int {
        let options = options
        return try await write { tables in
            try tables.db.cachedStatement(
                sql: """
                    DELETE FROM jobs WHERE expires_at <= ? AND expires_at IS NOT NULL
                        AND status IN ('finished', 'failed', 'canceled', 'stopped')
                    """
            ).execute(arguments: [StoredTime.microseconds(now)])
            let deleted = tables.db.changesCount
            try tables.pruneEvents(
                keeping: options.eventsKept, loggedSince: now.addingTimeInterval(-options.eventMaximumAge))
            return deleted
        }
    }
}
