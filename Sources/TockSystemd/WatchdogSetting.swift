/// The service watchdog systemd set up for this process (`WatchdogSec=` in the unit),
/// as read from `WATCHDOG_USEC` and `WATCHDOG_PID` by `sd_watchdog_enabled`.
public enum WatchdogSetting: Sendable, Hashable {
    /// No watchdog: `WATCHDOG_USEC` unset, or `WATCHDOG_PID` names another process (the
    /// variables were inherited from a parent that is the one being watched).
    case disabled
    /// systemd kills the service when no `WATCHDOG=1` arrives within `timeout`.
    case enabled(timeout: Duration)
    /// `WATCHDOG_USEC` or `WATCHDOG_PID` could not be parsed.
    case invalid(SystemdError)

    /// How often to send `WATCHDOG=1`: half the timeout, as sd_watchdog_enabled(3)
    /// recommends, so that one late ping is not fatal. `nil` unless ``enabled(timeout:)``.
    public var pingInterval: Duration? {
        guard case .enabled(let timeout) = self else { return nil }
        return timeout / 2
    }
}
