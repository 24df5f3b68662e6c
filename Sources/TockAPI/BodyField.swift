import TockValues

/// Reading one field of a JSON request body, reporting a wrong type by the field's name.
enum BodyField {
    /// The field's text; `nil` when absent or `null`, or (reported to `fail`) not a string.
    static func string(_ value: JSONValue?, _ field: String, _ fail: (String, String) -> Void) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default:
            fail(field, "must be a string")
            return nil
        }
    }
}
