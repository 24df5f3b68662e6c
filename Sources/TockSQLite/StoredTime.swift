import TockCore

/// How the SQLite backend stores times: whole microseconds since 1970-01-01 UTC, as
/// `INTEGER` (exact, compared and indexed as integers, readable in the `sqlite3` shell
/// with `datetime(x / 1e6, 'unixepoch', 'subsec')`); see ``TockCore/MicrosecondTime``.
typealias StoredTime = MicrosecondTime
