import GRDB

/// The database's tables, created and upgraded by a GRDB `DatabaseMigrator` (applied
/// migrations are listed in `grdb_migrations`; opening a migrated file again changes
/// nothing).
///
/// - `jobs`: one row per job, a column per ``TockCore/Job`` field (see ``JobRecord``).
///   Indexes: `jobs_claim` (queued jobs by queue, then by `COALESCE(enqueued_at,
///   created_at), id` — the claim order), `jobs_due` (scheduled jobs by `scheduled_for`),
///   `jobs_expiry` (`expires_at` of ended jobs), `jobs_created` (listings, newest first),
///   `jobs_batch` (a batch's chunks), `jobs_running` (started jobs by worker),
///   `jobs_failed` (failed jobs, for listing and requeueing them). The claim, due, running
///   and failed indexes are partial: a job leaves them when its status changes, so they
///   stay as small as the work waiting, running or failed. Queries name the status as a
///   literal so that SQLite can use them.
/// - `job_counts`: how many jobs each queue holds in each status, kept by triggers on
///   `jobs` in the transaction that changes them — so `max_queued` checks and
///   ``SQLiteBackend/queueCounts()`` read a few rows instead of counting jobs.
/// - `events`: the event log; `cursor` is the rowid, one more than the largest — and
///   since pruning never deletes the newest event, a cursor is never reused. (Not
///   `AUTOINCREMENT`, which would write `sqlite_sequence` in every transaction.)
/// - `workers`: one row per registered worker (slot).
/// - `batches`: one row per batch; its counts are computed from `jobs`.
/// - `scheduler_lease`, `scheduler_events`, `scheduler_settings` (migration "v2"): the
///   scheduler's state; see ``version2``; the skipped fires' columns (migration "v3"):
///   see ``version3``.
/// - `paused_queues` (migration "v4-paused-queues"): see ``pausedQueues``.
/// - whether a batch is sealed (migration "v4-batches"): see ``version4Batches``.
/// - each event's last success (migration "v5-event-last-success"): see ``eventLastSuccess``.
/// - Listing indexes (migration "v4-job-listing"): `jobs_listing (created_at, id)` (every
///   job, newest first; replaces `jobs_created`), `jobs_status_listing (status,
///   created_at, id)`, `jobs_queue_listing (queue, status, created_at, id)`,
///   `jobs_name_listing (name, created_at, id)`: a page of a listing by status, queue and
///   status, or name reads about `limit` entries (see ``JobTables/listing(_:)``).
///
/// Times are `INTEGER` microseconds since the epoch (``StoredTime``); JSON is `TEXT`.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, events, workers, batches") { db in
            try db.execute(sql: version1)
        }
        migrator.registerMigration("v2: scheduler lease, event states, settings") { db in
            try db.execute(sql: version2)
        }
        migrator.registerMigration("v3: skipped fires") { db in
            try db.execute(sql: version3)
        }
        migrator.registerMigration("v4-paused-queues") { db in
            try db.execute(sql: pausedQueues)
        }
        migrator.registerMigration("v4-batches: streamed batches") { db in
            try db.execute(sql: version4Batches)
        }
        migrator.registerMigration("v4-job-listing") { db in
            try db.execute(sql: version4JobListing)
        }
        migrator.registerMigration("v5-event-last-success") { db in
            try db.execute(sql: eventLastSuccess)
        }
        return migrator
    }

    private static let version4JobListing = """
        DROP INDEX jobs_created;
        CREATE INDEX jobs_listing ON jobs (created_at, id);
        CREATE INDEX jobs_status_listing ON jobs (status, created_at, id);
        CREATE INDEX jobs_queue_listing ON jobs (queue, status, created_at, id);
        CREATE INDEX jobs_name_listing ON jobs (name, created_at, id);
        """

    private static let version1 = """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            args TEXT NOT NULL,
            kwargs TEXT NOT NULL,
            queue TEXT NOT NULL,
            timeout INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            enqueued_at INTEGER,
            started_at INTEGER,
            ended_at INTEGER,
            last_heartbeat INTEGER,
            worker TEXT,
            result TEXT,
            error TEXT,
            retries_left INTEGER NOT NULL,
            retry_intervals TEXT NOT NULL,
            progress TEXT,
            batch TEXT,
            origin TEXT NOT NULL,
            scheduled_for INTEGER,
            stop_requested INTEGER NOT NULL DEFAULT 0,
            expires_at INTEGER
        );
        CREATE INDEX jobs_claim ON jobs (queue, COALESCE(enqueued_at, created_at), id) WHERE status = 'queued';
        CREATE INDEX jobs_due ON jobs (scheduled_for) WHERE status = 'scheduled';
        CREATE INDEX jobs_expiry ON jobs (expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX jobs_created ON jobs (created_at);
        CREATE INDEX jobs_batch ON jobs (batch, status) WHERE batch IS NOT NULL;
        CREATE INDEX jobs_running ON jobs (worker) WHERE status = 'started';
        CREATE INDEX jobs_failed ON jobs (created_at) WHERE status = 'failed';

        CREATE TABLE job_counts (
            queue TEXT NOT NULL,
            status TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (queue, status)
        ) WITHOUT ROWID;
        CREATE TRIGGER jobs_counted_in AFTER INSERT ON jobs BEGIN
            INSERT INTO job_counts (queue, status, count) VALUES (NEW.queue, NEW.status, 1)
                ON CONFLICT (queue, status) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER jobs_counted_out AFTER DELETE ON jobs BEGIN
            UPDATE job_counts SET count = count - 1 WHERE queue = OLD.queue AND status = OLD.status;
        END;
        CREATE TRIGGER jobs_counted_again AFTER UPDATE OF queue, status ON jobs
            WHEN OLD.queue IS NOT NEW.queue OR OLD.status IS NOT NEW.status
        BEGIN
            UPDATE job_counts SET count = count - 1 WHERE queue = OLD.queue AND status = OLD.status;
            INSERT INTO job_counts (queue, status, count) VALUES (NEW.queue, NEW.status, 1)
                ON CONFLICT (queue, status) DO UPDATE SET count = count + 1;
        END;

        CREATE TABLE events (
            cursor INTEGER PRIMARY KEY,
            job TEXT NOT NULL,
            queue TEXT NOT NULL,
            status TEXT NOT NULL,
            progress TEXT,
            batch TEXT,
            at INTEGER NOT NULL
        );

        CREATE TABLE workers (
            name TEXT PRIMARY KEY NOT NULL,
            hostname TEXT NOT NULL,
            pid INTEGER NOT NULL,
            queues TEXT NOT NULL,
            state TEXT NOT NULL,
            current_job TEXT,
            successful_job_count INTEGER NOT NULL,
            failed_job_count INTEGER NOT NULL,
            total_working_time REAL NOT NULL,
            birth INTEGER NOT NULL,
            last_heartbeat INTEGER NOT NULL
        );

        CREATE TABLE batches (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            queue TEXT NOT NULL,
            total INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            on_complete TEXT,
            on_complete_timeout INTEGER NOT NULL,
            completed_at INTEGER
        );
        """
}
