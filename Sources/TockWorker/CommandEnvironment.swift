/// The environment a command job starts with: a minimal base taken from the worker's
/// own, never the worker's configuration or secrets.
///
/// Passed on from the worker: `PATH` (`/usr/local/bin:/usr/bin:/bin` when unset),
/// `HOME`, `USER`, `LOGNAME`, `LANG`, `LANGUAGE`, `LC_*`, `TZ` and `TMPDIR`. Everything
/// else stays behind: `TOCK_*` (the backend URL and its password among them),
/// `NOTIFY_SOCKET`, `WATCHDOG_*`, `LISTEN_*`, `CREDENTIALS_DIRECTORY`, `INVOCATION_ID`,
/// `JOURNAL_STREAM`, and whatever else the service was started with. On top come the
/// variables the job's declaration sets (`environment:` in its schedule file), then the
/// job's own (``JobPayload``), which nothing overrides.
public enum CommandEnvironment {
    /// The names passed on from the worker's environment, besides `LC_*`.
    public static let inheritedNames: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR"]
    /// `PATH` when the worker has none.
    public static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    /// The part of `environment` a command may see.
    public static func base(_ environment: [String: String]) -> [String: String] {
        var base = environment.filter { inheritedNames.contains($0.key) || $0.key.hasPrefix("LC_") }
        if base["PATH"] == nil { base["PATH"] = defaultPath }
        return base
    }
}
