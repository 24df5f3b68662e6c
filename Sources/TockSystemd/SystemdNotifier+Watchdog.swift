import CSystemd

extension SystemdNotifier {
    /// The watchdog systemd set up for this process, from `sd_watchdog_enabled`: enabled
    /// when `WATCHDOG_USEC` is set and `WATCHDOG_PID` is unset or this process's id.
    public var watchdogSetting: WatchdogSetting {
        var microseconds: UInt64 = 0
        let result = sd_watchdog_enabled(0, &microseconds)
        if result < 0 { return .invalid(SystemdError(operation: "sd_watchdog_enabled", code: result)) }
        if result == 0 { return .disabled }
        return .enabled(timeout: .microseconds(Int64(clamping: microseconds)))
    }

    /// How often to send ``watchdog()``: half of `WATCHDOG_USEC`; `nil` when there is no
    /// watchdog for this process (or its variables are malformed — see ``watchdogSetting``
    /// to tell the two apart).
    public var watchdogInterval: Duration? {
        watchdogSetting.pingInterval
    }
}

