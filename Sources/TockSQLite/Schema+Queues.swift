extension Schema {
    /// Paused queues (migration "v4-paused-queues"): one row per paused queue, with when it
    /// was paused (µs). A claim reads the table in its own transaction, so a pause
    /// binds every worker from its commit on.
    static let pausedQueues = """
        CREATE TABLE paused_queues (
            queue TEXT PRIMARY KEY NOT NULL,
            paused_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
