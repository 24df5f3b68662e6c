import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd about the daemon's state with `sd_notify`: ready, status lines, watchdog
/// pings, reloading, stopping (see sd_notify(3)).
///
/// Under systemd (`NOTIFY_SOCKET` set, as for `Type=notify` services) each call sends one
/// datagram; otherwise every call does nothing and returns ``NotifyResult/notUnderSystemd``,
/// so a daemon runs the same in a terminal. Nothing throws: each call returns what became
/// of the message, for the caller to log or ignore.
///
/// The environment is read at each call, not captured, and is left as it is: processes the
/// daemon starts inherit `NOTIFY_SOCKET`, but with the default `NotifyAccess=main` systemd
/// ignores what they send.
///
/// ```swift
/// let notifier = SystemdNotifier()
/// notifier.ready(status: "42 events; backend ok")
/// if let interval = notifier.watchdogInterval { /* ping from the main loop every `interval` */ }
/// ```
public struct SystemdNotifier: Sendable {
    /// A notifier for this process.
    public init() {}

    /// Whether the process runs under systemd's notification protocol (`NOTIFY_SOCKET` set
    /// and not empty).
    public var isActive: Bool {
        guard let value = getenv("NOTIFY_SOCKET") else { return false }
        return value.pointee != 0
    }

    /// Sends assignments as one datagram, e.g. `[("READY", "1"), ("STATUS", "ok")]`.
    ///
    /// A line break in a value would start another assignment, so line breaks are replaced
    /// by spaces.
    /// - Parameter assignments: Variable names and values, in order (sd_notify(3) lists them).
    /// - Returns: Whether the datagram was sent.
    @discardableResult
    public func send(_ assignments: [(name: String, value: String)]) -> NotifyResult {
        let state = Self.message(assignments)
        let result = sd_notify(0, state)
        if result > 0 { return .sent }
        if result == 0 { return .notUnderSystemd }
        return .failed(SystemdError(operation: "sd_notify", code: result))
    }

    /// `READY=1`: startup (or a reload) is complete. Send it once the schedules are parsed
    /// and the backend is reachable.
    /// - Parameter status: A `STATUS=` line sent in the same datagram.
    @discardableResult
    public func ready(status: String? = nil) -> NotifyResult {
        send([("READY", "1")] + Self.status(status))
    }

    /// `STATUS=…`: one line shown by `systemctl status`, e.g.
    /// `42 events; next cabs_app.sync at 12:15:00; backend ok`.
    @discardableResult
    public func status(_ text: String) -> NotifyResult {
        send([("STATUS", text)])
    }

    /// `WATCHDOG=1`: the daemon is alive. Send it every ``watchdogInterval`` from the loop
    /// that does the work, not from a side timer, so a stuck loop gets the service restarted.
    @discardableResult
    public func watchdog() -> NotifyResult {
        send([("WATCHDOG", "1")])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (now on `CLOCK_MONOTONIC`, as systemd 253+
    /// requires for reload notifications): a reload has started. Send ``ready(status:)``
    /// when it is over, whether or not the new configuration was taken.
    /// - Parameter status: A `STATUS=` line sent in the same datagram.
    @discardableResult
    public func reloading(status: String? = nil) -> NotifyResult {
        send([("RELOADING", "1"), ("MONOTONIC_USEC", String(MonotonicClock.microseconds()))] + Self.status(status))
    }

    /// `STOPPING=1`: shutdown has started.
    /// - Parameter status: A `STATUS=` line sent in the same datagram.
    @discardableResult
    public func stopping(status: String? = nil) -> NotifyResult {
        send([("STOPPING", "1")] + Self.status(status))
    }

    /// The text of one notification: `NAME=value` lines joined by `\n`, line breaks in
    /// values replaced by spaces.
    static func message(_ assignments: [(name: String, value: String)]) -> String {
        assignments.map { name, value in
            let flat = value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
            return "\(name)=\(flat)"
        }.joined(separator: "\n")
    }

    private static func status(_ text: String?) -> [(name: String, value: String)] {
        text.map { [("STATUS", $0)] } ?? []
    }
}
