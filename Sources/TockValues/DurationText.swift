/// Durations as schedule files write them: `30s`, `45m`, `2h`, `1h30m`, `1d`, or a plain
/// number of seconds (`90`).
///
/// Units are `d` (86,400 s), `h`, `m` and `s`, each at most once and largest first
/// (`1h30m`, not `30m1h`); there are no fractions and no spaces. Values are whole seconds.
public enum DurationText {
    /// What a bad duration message says is accepted.
    public static let expected = "expected a whole number of seconds or amounts with units d, h, m, s, such as 30s, 45m, 2h, 1h30m, 1d"

    /// The number of seconds `text` stands for, or `nil` if it is not a duration or
    /// exceeds 100 years (a typo, and a guard against overflow).
    ///
    /// - Parameter text: A duration such as `1h30m` or `90`.
    /// - Returns: Whole seconds, never negative.
    public static func seconds(_ text: String) -> Int? {
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        let limit = 100 * 366 * 86_400
        var total = 0
        var digits = 0
        var sawDigit = false
        var nextUnit = 0
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                digits = digits * 10 + digit
                sawDigit = true
                guard digits <= limit else { return nil }
                continue
            }
            guard sawDigit, let index = units[nextUnit...].firstIndex(where: { $0.0 == character }) else { return nil }
            total += digits * units[index].1
            guard total <= limit else { return nil }
            nextUnit = index + 1
            digits = 0
            sawDigit = false
            sawUnit = true
        }
        if sawDigit {
            // Trailing digits without a unit are seconds only when there is no unit at all.
            guard !sawUnit else { return nil }
            total = digits
        } else if !sawUnit {
            return nil
        }
        return total
    }

    /// The shortest text for `seconds` in the form ``seconds(_:)`` reads: `90` → `1m30s`,
    /// `0` → `0s`.
    ///
    /// - Parameter seconds: Whole seconds; negative values are clamped to 0.
    public static func format(seconds: Int) -> String {
        var rest = max(0, seconds)
        guard rest > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
