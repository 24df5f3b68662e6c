/// A JSON value: what an event's `args` may hold, handed to the job as is.
///
/// Numbers are `Double`, as in JSON itself: integers beyond ±2⁵³ lose precision.
/// Objects are unordered; encode with `JSONEncoder.OutputFormatting.sortedKeys` for a
/// stable text.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; JSON does not tell integers from fractions.
    case number(Double)
    /// A string.
    case string(String)
    /// A list.
    case array([JSONValue])
    /// An object; keys are unique and unordered.
    case object([String: JSONValue])
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `1` is `.number(1)`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `2.5` is `.number(2.5)`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `"x"` is `.string("x")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `[1, "x"]` is `.array`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `["k": 1]` is `.object`; of repeated keys the first wins.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements) { first, _ in first })
    }
}

extension JSONValue {
    /// The value of a `.string`, else `nil`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value of a `.number`, else `nil`.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value of a `.bool`, else `nil`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The member `key` of an `.object`, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
