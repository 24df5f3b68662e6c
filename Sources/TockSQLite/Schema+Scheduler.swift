extension Schema {
    /// The scheduler's tables (``TockCore/SchedulerStore``), added by migration "v2".
    ///
    /// - `scheduler_lease`: at most one row (`id = 1`): the leader lease's holder, its
    ///   fencing token and when it expires (µs). Released leases keep their row, with an
    ///   expiry in the past, so the next holder's token is counted from it.
    /// - `scheduler_events`: one row per event that ever fired or was switched on or off:
    ///   the latest schedule instant handled (µs), the latest job enqueued, the
    ///   operator's override (`NULL`: as the file says; `0`/`1`: off/on) and the boot id
    ///   an `@reboot` event last fired in.
    /// - `scheduler_settings`: at most one row (`id = 1`); no row means not paused.
    static let version2 = """
        CREATE TABLE scheduler_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            holder TEXT NOT NULL,
            token INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );

        CREATE TABLE scheduler_events (
            name TEXT PRIMARY KEY NOT NULL,
            last_fire INTEGER,
            last_job TEXT,
            enabled_override INTEGER CHECK (enabled_override IN (0, 1)),
            boot_id TEXT
        );

        CREATE TABLE scheduler_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            paused INTEGER NOT NULL DEFAULT 0
        );
        """

    /// Skipped fires, per event (migration "v3"): the latest instant skipped (µs), why
    /// (``TockCore/FireSkip/Reason``'s raw value) and how many instants were skipped in all.
    static let version3 = """
        ALTER TABLE scheduler_events ADD COLUMN last_skip INTEGER;
        ALTER TABLE scheduler_events ADD COLUMN last_skip_reason TEXT;
        ALTER TABLE scheduler_events ADD COLUMN skipped_fires INTEGER NOT NULL DEFAULT 0;
        """

    /// When each event's job last finished successfully (µs), as its worker recorded it.
    static let eventLastSuccess = """
        ALTER TABLE scheduler_events ADD COLUMN last_success INTEGER;
        """
}
