/// Compact JSON text, written by hand — keys sorted, so equal values give equal text — and
/// read with ``JSONParser``. What the backends store (SQLite columns, RQ's JSON job data).
///
/// What is lost: a non-finite number (which JSON cannot hold) is written as `null`.
public enum JSONText {
    /// The compact JSON text of `value`.
    public static func encode(_ value: JSONValue) -> String {
        var text = ""
        write(value, to: &text)
        return text
    }

    /// `[1,2,3]` for integer lists.
    public static func encode(_ integers: [Int]) -> String {
        "[" + integers.map(String.init).joined(separator: ",") + "]"
    }

    /// `["a","b"]` for string lists.
    public static func encode(_ strings: [String]) -> String {
        encode(.array(strings.map(JSONValue.string)))
    }

    private static func write(_ value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number): write(number, to: &text)
        case .string(let string): write(string, to: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                write(element, to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                write(key, to: &text)
                text += ":"
                write(members[key] ?? .null, to: &text)
            }
            text += "}"
        }
    }

    private static func write(_ number: Double, to text: inout String) {
        if !number.isFinite {
            text += "null"
        } else if number == number.rounded(), abs(number) < 9.007_199_254_740_992e15 {
            text += String(Int64(number))
        } else {
            text += "\(number)"
        }
    }

    private static func write(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
