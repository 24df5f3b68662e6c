import Foundation
import GRDB
import TockCore

extension JobTables {
    /// The lease row (possibly expired), if a lease was ever taken.
    func schedulerLease() throws -> SchedulerLease? {
        let statement = try db.cachedStatement(sql: "SELECT holder, token, expires_at FROM scheduler_lease WHERE id = 1")
        return try Row.fetchOne(statement).map { row in
            SchedulerLease(holder: row[0], token: row[1], expiresAt: StoredTime.date(row[2]))
        }
    }

    /// Creates or replaces the lease row.
    func saveSchedulerLease(_ lease: SchedulerLease) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO scheduler_lease (id, holder, token, expires_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                """)
        try statement.execute(arguments: [lease.holder, lease.token, StoredTime.microseconds(lease.expiresAt)])
    }

    /// Moves the lease's expiry to `expiresAt` if `holder` holds it; keeps its token.
    func expireSchedulerLease(holder: String, at expiresAt: Date) throws {
        try db.cachedStatement(sql: "UPDATE scheduler_lease SET expires_at = ? WHERE id = 1 AND holder = ?")
            .execute(arguments: [StoredTime.microseconds(expiresAt), holder])
    }

    /// Records a fire in its event's row as ``TockCore/EventState/record(_:)`` does: the
    /// instant if later than the stored one (or the first), the job's id and the boot id
    /// when given, a skip's instant, reason and count; other columns are kept.
    func recordEventFire(_ fire: FireRecord) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO scheduler_events (name, last_fire, last_job, boot_id, last_skip, last_skip_reason, skipped_fires)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (name) DO UPDATE SET
                    last_fire = CASE WHEN last_fire IS NULL OR excluded.last_fire > last_fire
                        THEN excluded.last_fire ELSE last_fire END,
                    last_job = COALESCE(excluded.last_job, last_job),
                    boot_id = COALESCE(excluded.boot_id, boot_id),
                    last_skip_reason = CASE WHEN ?5 IS NOT NULL AND (last_skip IS NULL OR ?5 >= last_skip)
                        THEN ?6 ELSE last_skip_reason END,
                    last_skip = CASE WHEN ?5 IS NOT NULL AND (last_skip IS NULL OR ?5 >= last_skip)
                        THEN ?5 ELSE last_skip END,
                    skipped_fires = skipped_fires + ?7
                """)
        let skipped = fire.skip.map { _ in StoredTime.microseconds(fire.instant) }
        try statement.execute(arguments: [
            fire.event, StoredTime.microseconds(fire.instant), fire.job?.id.rawValue, fire.bootID,
            skipped, fire.skip?.reason.rawValue, fire.skip?.count ?? 0,
        ])
    }

    /// Sets (or clears, with `nil`) an event's override, creating its row if needed.
    func setEventEnabled(_ name: String, enabled: Bool?) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO scheduler_events (name, enabled_override) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET enabled_override = excluded.enabled_override
                """)
        try statement.execute(arguments: [name, enabled])
    }

    /// Keeps the later of the stored last success and `at`.
    func recordEventSuccess(_ name: String, at: Date) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO scheduler_events (name, last_success) VALUES (?1, ?2)
                ON CONFLICT (name) DO UPDATE SET last_success = max(coalesce(last_success, 0), excluded.last_success)
                """)
        try statement.execute(arguments: [name, StoredTime.microseconds(at)])
    }

    /// Every event's row, by name.
    func eventStates() throws -> [String: EventState] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT name, last_fire, last_job, enabled_override, boot_id, last_skip, last_skip_reason, skipped_fires, last_success
                FROM scheduler_events
                """)
        var states: [String: EventState] = [:]
        for row in try Row.fetchAll(statement) {
            let name: String = row[0]
            let lastFire: Int64? = row[1]
            let lastJob: String? = row[2]
            let lastSkip: Int64? = row[5]
            let reason: String? = row[6]
            let lastSuccess: Int64? = row[8]
            states[name] = EventState(
                name: name, lastFire: lastFire.map(StoredTime.date), lastJob: lastJob.map(JobID.init(unchecked:)),
                enabledOverride: row[3], bootID: row[4], lastSkip: lastSkip.map(StoredTime.date),
                lastSkipReason: reason.flatMap(FireSkip.Reason.init(rawValue:)), skippedFires: row[7],
                lastSuccess: lastSuccess.map(StoredTime.date))
        }
        return states
    }

    /// The events whose `enabled` an operator overrode.
    func eventOverrides() throws -> [String: Bool] {
        let statement = try db.cachedStatement(
            sql: "SELECT name, enabled_override FROM scheduler_events WHERE enabled_override IS NOT NULL")
        var overrides: [String: Bool] = [:]
        for row in try Row.fetchAll(statement) { overrides[row[0]] = row[1] }
        return overrides
    }

    /// Sets the pause switch.
    func setSchedulerPaused(_ paused: Bool) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO scheduler_settings (id, paused) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET paused = excluded.paused
                """
        ).execute(arguments: [paused])
    }

    /// The pause switch; off when never set.
    func schedulerPaused() throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT paused FROM scheduler_settings WHERE id = 1")) ?? false
    }
}
