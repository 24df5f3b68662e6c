import TockValues

/// Reading the SQLite columns that hold JSON, with errors that name the row and column.
extension JSONText {
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
}
