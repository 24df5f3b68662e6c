import TockValues

/// JSON text for the columns that hold JSON (`args`, `kwargs`, `result`, `progress`,
/// `retry_intervals`, workers' `queues`): written by hand — compact, keys sorted, so equal
/// values give equal text — and read with ``JSONParser``.
///
/// What is lost: a non-finite number (which JSON cannot hold) is written as `null`.
enum JSONText {
    /// The compact JSON text of `value`.
    static func encode(_ value: JSONValue) -> String {
        var text = ""
        write(value, to: &text)
        return text
    }

    /// `[1,2,3]` for integer lists.
    static func encode(_ integers: [Int]) -> String {
        "[" + integers.map(String.init).joined(separator: ",") + "]"
    }

    /// `["a","b"]` for string lists.
    static func encode(_ strings: [String]) -> String {
        encode(.array(strings.map(JSONValue.string)))
    }

    /// Reads a column's JSON text.
    /// - Throws: ``StoredValueError`` naming the row and column when it is not JSON.
    static func value(_ text: String, column: String, row: String) throws(StoredValueError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw StoredValueError(
                row: row, column: column, detail: "not JSON (\(error.reason) at byte \(error.offset) of \(text.prefix(80)))")
        }
    }

    /// Reads a column that holds a JSON array.
    static func array(_ text: String, column: String, row: String) throws(StoredValueError) -> [JSONValue] {
        if text == "[]" { return [] }
        guard case .array(let elements) = try value(text, column: column, row: row) else {
            throw StoredValueError(row: row, column: column, detail: "not a JSON array (\(text.prefix(80)))")
        }
        return elements
    }

    /// Reads a column that holds a JSON object.
    static func object(_ text: String, column: String, row: String) throws(StoredValueError) -> [String: JSONValue] {
        if text == "{}" { return [:] }
        guard case .object(let members) = try value(text, column: column, row: row) else {
            throw StoredValueError(row: row, column: column, detail: "not a JSON object (\(text.prefix(80)))")
        }
        return members
    }

    /// Reads a column that holds a JSON array of integers.
    static func integers(_ text: String, column: String, row: String) throws(StoredValueError) -> [Int] {
        try array(text, column: column, row: row).map { element throws(StoredValueError) in
            guard let number = element.numberValue, let integer = Int(exactly: number) else {
                throw StoredValueError(row: row, column: column, detail: "not a JSON array of integers (\(text.prefix(80)))")
            }
            return integer
        }
    }

    /// Reads a column that holds a JSON array of strings.
    static func strings(_ text: String, column: String, row: String) throws(StoredValueError) -> [String] {
        try array(text, column: column, row: row).map { element throws(StoredValueError) in
            guard let string = element.stringValue else {
                throw StoredValueError(row: row, column: column, detail: "not a JSON array of strings (\(text.prefix(80)))")
            }
            return string
        }
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
