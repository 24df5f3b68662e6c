/// A number that is not a whole number in the range its field accepts: which field, the
/// value as it was given, and what would be right. What ``CheckedInteger`` throws.
public struct NumberRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the number came from: `timeout`, `args[0]`, `--limit`, `result_ttl`, ….
    public var field: String
    /// The value as given (text shortened to 40 characters).
    public var value: String
    /// What is accepted, e.g. `a whole number from 1 to 3162240000`.
    public var expected: String

    public init(field: String, value: String, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(field) '\(value)' is out of range: expected \(expected)" }
}

/// The one way a number read from outside — a payload, a job record, a hash another client
/// wrote, a flag, the environment — becomes an `Int`. Swift's `Int(_: Double)` traps on
/// NaN, infinities and anything beyond ±2⁶³; these never do: a value out of range is a
/// ``NumberRangeError`` naming the field, or is clamped where the caller asks for that.
public enum CheckedInteger {
    /// `value` as an `Int` in `range`.
    ///
    /// - Parameters:
    ///   - value: Any `Double`, NaN and infinities included.
    ///   - field: Named in the error, e.g. `timeout`.
    ///   - range: What the field accepts.
    ///   - rounding: `nil` (the default) accepts whole numbers only; a rule (`.up` for a
    ///     timeout) rounds a fraction first.
    /// - Throws: ``NumberRangeError`` for NaN, an infinity, a fraction (without
    ///   `rounding`) or a value outside `range`.
    public static func integer(
        _ value: Double, field: String, in range: ClosedRange<Int>, rounding: FloatingPointRoundingRule? = nil
    ) throws(NumberRangeError) -> Int {
        let rounded = rounding.map { value.rounded($0) } ?? value
        // Double(range.upperBound) + 1 is exact or 2⁶³, so `Int(rounded)` below cannot trap.
        guard rounded.isFinite, rounded == rounded.rounded(), rounded >= Double(range.lowerBound),
            rounded < Double(range.upperBound) + 1
        else { throw error(field: field, value: shown(value), range: range, rounding: rounding) }
        let integer = Int(rounded)
        guard range.contains(integer) else { throw error(field: field, value: shown(value), range: range, rounding: rounding) }
        return integer
    }

    /// `text` — decimal digits with an optional sign, or a decimal number such as `1.5e3`
    /// — as an `Int` in `range`; see ``integer(_:field:in:rounding:)-(Double,_,_,_)``.
    /// - Throws: ``NumberRangeError``, also for text that is not a number (`nan`, `abc`, ``).
    public static func integer(
        _ text: String, field: String, in range: ClosedRange<Int>, rounding: FloatingPointRoundingRule? = nil
    ) throws(NumberRangeError) -> Int {
        if let integer = Int(text) {
            guard range.contains(integer) else { throw error(field: field, value: shown(text), range: range, rounding: rounding) }
            return integer
        }
        // Only decimal notation: Swift's Double(String) also reads "nan", "inf" and hex floats.
        guard !text.isEmpty, text.utf8.allSatisfy(Self.isDecimalByte), let value = Double(text) else {
            throw error(field: field, value: shown(text), range: range, rounding: rounding)
        }
        do {
            return try integer(value, field: field, in: range, rounding: rounding)
        } catch {
            throw Self.error(field: field, value: shown(text), range: range, rounding: rounding)
        }
    }

    /// `value` clamped into `range`: for numbers where any value is usable once bounded
    /// (a progress bar's width). NaN becomes the lower bound.
    public static func clamped(_ value: Double, to range: ClosedRange<Int>) -> Int {
        guard !value.isNaN else { return range.lowerBound }
        if value <= Double(range.lowerBound) { return range.lowerBound }
        if value >= Double(range.upperBound) { return range.upperBound }
        return min(max(Int(value.rounded(.towardZero)), range.lowerBound), range.upperBound)
    }

    private static func isDecimalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    private static func shown(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    private static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    private static func error(
        field: String, value: String, range: ClosedRange<Int>, rounding: FloatingPointRoundingRule?
    ) -> NumberRangeError {
        let kind = rounding == nil ? "a whole number" : "a number"
        return NumberRangeError(field: field, value: value, expected: "\(kind) from \(range.lowerBound) to \(range.upperBound)")
    }
}

extension JSONValue {
    /// This value as an `Int` in `range` (see ``CheckedInteger``), for numbers read from a
    /// job's args and kwargs.
    /// - Throws: ``NumberRangeError`` when it is not a number, or not one `range` holds.
    public func integer(
        field: String, in range: ClosedRange<Int>, rounding: FloatingPointRoundingRule? = nil
    ) throws(NumberRangeError) -> Int {
        guard case .number(let number) = self else {
            let kind = rounding == nil ? "a whole number" : "a number"
            throw NumberRangeError(
                field: field, value: String(JSONText.encode(self).prefix(40)),
                expected: "\(kind) from \(range.lowerBound) to \(range.upperBound)")
        }
        return try CheckedInteger.integer(number, field: field, in: range, rounding: rounding)
    }
}
