import Foundation
import TockCron
import Yams

/// The zone a file gives its events.
enum FileZone {
    /// The file names none: the loader's default.
    case inherited
    /// The file's `timezone`.
    case zone(CronTimeZone)
    /// The file names one that does not exist (already reported).
    case invalid
}

extension LoadSession {
    /// The zone `node` names, built once per distinct name; reports an unknown one with
    /// the nearest known name.
    mutating func timeZone(_ node: Node) -> CronTimeZone? {
        guard let name = string(node, for: "timezone", expected: "an IANA time zone name such as Europe/Berlin") else {
            return nil
        }
        let zone: CronTimeZone?
        if let cached = zones[name] {
            zone = cached
        } else {
            zone = CronTimeZone(identifier: name)
            zones[name] = zone
        }
        guard let zone else {
            let known = TimeZone.knownTimeZoneIdentifiers + ["UTC"]
            error(
                "unknown time zone '\(name)'; " + NearestMatch.suggestion(for: name, in: known)
                    + "expected an IANA name such as Europe/Berlin or UTC", at: node)
            return nil
        }
        return zone
    }

    /// The zone for an event: its own, else its file's, else the default; `nil` when
    /// the one that applies was unknown (and reported).
    func zone(own: CronTimeZone?, ownWasInvalid: Bool, file: FileZone) -> CronTimeZone? {
        if let own { return own }
        if ownWasInvalid { return nil }
        switch file {
        case .zone(let zone): return zone
        case .inherited: return defaultZone
        case .invalid: return nil
        }
    }
}
