import ArgumentParser
import TockCron

extension CronTimeZone {
    /// The zone named by a `--zone` option, or a usage error that says what is accepted.
    static func argument(_ name: String) throws(ValidationError) -> CronTimeZone {
        guard let zone = CronTimeZone(identifier: name) else {
            throw ValidationError("unknown time zone '\(name)'; expected an IANA name such as UTC, Europe/Berlin or America/New_York")
        }
        return zone
    }
}

/// Checks a `--zone` value that is passed on as a name.
enum CronTimeZoneArgument {
    static func validate(_ name: String) throws(ValidationError) -> CronTimeZone {
        try CronTimeZone.argument(name)
    }
}
