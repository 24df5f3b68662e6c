import ArgumentParser
import TockCron

/// A `--from`/`--until` value: `YYYY-MM-DDTHH:MM[:SS]` on the wall clock of the zone in
/// force, or with an explicit offset (`Z`, `+02:00`).
struct TimeArgument: Sendable {
    var local: LocalTime
    /// Seconds east of UTC, when the text gave one.
    var explicitOffset: Int?

    init(parsing text: String) throws(ValidationError) {
        let expected = "expected YYYY-MM-DDTHH:MM[:SS] with an optional offset (Z, +02:00), e.g. 2026-03-28T00:00"
        let chars = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= chars.count else { return nil }
            var value = 0
            for byte in chars[start..<start + length] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func isByte(_ index: Int, _ options: String) -> Bool {
            index < chars.count && options.utf8.contains(chars[index])
        }
        guard let year = number(0, 4), isByte(4, "-"), let month = number(5, 2), isByte(7, "-"),
            let day = number(8, 2), isByte(10, "T "), let hour = number(11, 2), isByte(13, ":"),
            let minute = number(14, 2)
        else { throw ValidationError("'\(text)' is not a time: \(expected)") }
        var index = 16
        var second = 0
        if isByte(index, ":") {
            guard let value = number(index + 1, 2) else { throw ValidationError("'\(text)' is not a time: \(expected)") }
            second = value
            index += 3
        }
        if index < chars.count {
            if isByte(index, "Zz"), index + 1 == chars.count {
                explicitOffset = 0
            } else if isByte(index, "+-"), let hours = number(index + 1, 2) {
                var minutes = 0
                if isByte(index + 3, ":"), let value = number(index + 4, 2), index + 6 == chars.count {
                    minutes = value
                } else if let value = number(index + 3, 2), index + 5 == chars.count {
                    minutes = value
                } else if index + 3 != chars.count {
                    throw ValidationError("'\(text)' has a malformed offset: \(expected)")
                }
                // Real offsets run from -12:00 to +14:00; minutes are minutes.
                guard minutes < 60, hours * 60 + minutes <= 14 * 60 else {
                    throw ValidationError("'\(text)' has an offset outside -14:00…+14:00 or with minutes ≥ 60: \(expected)")
                }
                explicitOffset = (chars[index] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
            } else {
                throw ValidationError("'\(text)' is not a time: \(expected)")
            }
        }
        local = LocalTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard local.isValid else { throw ValidationError("'\(text)' is not a valid date and time: \(expected)") }
    }

    /// The instant this names: with its own offset, or on the wall clock of `zone`.
    func instant(in zone: CronTimeZone) -> Int {
        if let explicitOffset {
            return CronTimeZone.utc.instant(showing: local) - explicitOffset
        }
        return zone.instant(showing: local)
    }
}
