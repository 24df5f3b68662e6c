import Logging

extension Logger.Level {
    /// The syslog priority journald files a record of this level under (`PRIORITY=`):
    /// critical 2 (crit), error 3 (err), warning 4, notice 5, info 6, debug and trace 7
    /// (debug: syslog has nothing finer, so the journal cannot tell trace from debug).
    public var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
