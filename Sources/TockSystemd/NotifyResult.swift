/// What became of one notification to systemd.
///
/// Notifying never throws: a daemon keeps running whether or not systemd heard it. The
/// caller decides whether a ``failed(_:)`` is worth a log line (it usually is: a missed
/// `WATCHDOG=1` gets the service killed).
public enum NotifyResult: Sendable, Hashable {
    /// The datagram was sent to `$NOTIFY_SOCKET`.
    case sent
    /// Not running under systemd (`NOTIFY_SOCKET` unset): nothing was sent.
    case notUnderSystemd
    /// `NOTIFY_SOCKET` is set but sending failed (no such socket, refused, …).
    case failed(SystemdError)

    /// Whether the datagram was sent.
    public var wasSent: Bool { self == .sent }
}
