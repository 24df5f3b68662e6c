import Foundation
import TockCore
import TockCron

/// Times as RQ writes them in hashes: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC, microseconds
/// (Python's `utcformat`). Formatted and parsed by hand: a `DateFormatter` costs more than
/// the rest of a claim.
enum RQTime {
    /// `date` in RQ's text form, rounded to the microsecond.
    static func text(_ date: Date) -> String {
        let (seconds, fraction) = CivilDate.floorDivide(Int(MicrosecondTime.microseconds(date)), 1_000_000)
        let (days, secondOfDay) = CivilDate.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilDate.date(days: days)
        guard (0...9999).contains(year) else {
            return String(
                format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%06ldZ", year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60,
                secondOfDay % 60, fraction)
        }
        // Digits written into place: this runs several times for every job written.
        return String(unsafeUninitializedCapacity: 27) { buffer in
            func put(_ value: Int, at start: Int, width: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, at: 11, width: 2)
            buffer[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, at: 14, width: 2)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, at: 17, width: 2)
            buffer[19] = UInt8(ascii: ".")
            put(fraction, at: 20, width: 6)
            buffer[26] = UInt8(ascii: "Z")
            return 27
        }
    }

    /// Parses RQ's text form, and the older `YYYY-MM-DDTHH:MM:SSZ` without a fraction.
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes.last == UInt8(ascii: "Z"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count - 21 <= 9, bytes.count > 21,
                let digits = number(bytes, 20, bytes.count - 21)
            else { return nil }
            var scaled = digits
            var count = bytes.count - 21
            while count < 6 {
                scaled *= 10
                count += 1
            }
            while count > 6 {
                scaled /= 10
                count -= 1
            }
            micros = scaled
        }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return MicrosecondTime.date(seconds * 1_000_000 + micros)
    }

    /// Seconds since the epoch with a fraction, as RQ's scores and executions hold them.
    static func epoch(_ date: Date) -> String {
        let micros = MicrosecondTime.microseconds(date)
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        return "\(sign)\(magnitude / 1_000_000).\(fraction)"
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
