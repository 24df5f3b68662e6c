extension Schema {
    /// `batches.sealed`: 0 while a streamed batch is being received (its chunks wait as
    /// `deferred`), 1 once sealed. Batches stored before it were created whole: sealed.
    static let version4Batches = """
        ALTER TABLE batches ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;
        """
}
