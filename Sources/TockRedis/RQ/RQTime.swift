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
        var text = ""
        text.reserveCapacity(27)
        append(year, width: 4, to: &text)
        text.append("-")
        append(month, width: 2, to: &text)
        text.append("-")
        append(day, width: 2, to: &text)
        text.append("T")
        append(secondOfDay / 3600, width: 2, to: &text)
        text.append(":")
        append(secondOfDay / 60 % 60, width: 2, to: &text)
        text.append(":")
        append(secondOfDay % 60, width: 2, to: &text)
        text.append(".")
        append(fraction, width: 6, to: &text)
        text.append("Z")
        return text
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

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text.append(String(repeating: "0", count: width - digits.count)) }
        text.append(digits)
    }
}
