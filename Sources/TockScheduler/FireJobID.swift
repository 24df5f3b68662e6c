import Foundation
import TockCore

/// The job id of a fire, derived from the event and the instant alone, so that the same
/// fire always makes the same id — and, enqueue being idempotent, never two jobs: not
/// after a crash between enqueue and bookkeeping, not with two schedulers, not after a
/// restart.
///
/// Shape: `s-<event, letters and digits kept, ≤ 60>-<FNV-1a of the event, 8 hex>-<unix seconds>`,
/// e.g. `s-cabs_app-tasks-sync_bookings-cron-0-15-3f9a0c12-1774746000`. The hash keeps
/// names apart that clean up to the same text.
enum FireJobID {
    static func make(event: String, instant: Date) -> JobID {
        make(event: event, suffix: String(Int64(instant.timeIntervalSince1970.rounded(.down))))
    }

    /// For `@reboot`: the boot's id instead of an instant.
    static func make(event: String, boot: String) -> JobID {
        make(event: event, suffix: "boot-" + String(boot.filter(\.isHexDigit).prefix(32)))
    }

    private static func make(event: String, suffix: String) -> JobID {
        var slug = ""
        var lastWasDash = false
        for scalar in event.unicodeScalars {
            let keep = ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
            if keep {
                slug.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                slug.append("-")
                lastWasDash = true
            }
        }
        let trimmed = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60)
        let hash = String(fnv1a(event), radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - hash.count)) + hash
        return JobID(unchecked: "s-\(trimmed)-\(padded.prefix(8))-\(suffix)")
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
