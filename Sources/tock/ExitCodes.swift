import ArgumentParser

extension ExitCode {
    /// A daemon's schedule or configuration files have errors (sysexits' `EX_CONFIG`).
    /// The units say `RestartPreventExitStatus=78`: systemd leaves the unit failed, with
    /// the errors in its journal, instead of restarting into the same error again.
    static let configurationError = ExitCode(78)
}
