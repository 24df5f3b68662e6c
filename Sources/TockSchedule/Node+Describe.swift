import Yams

extension Node {
    /// The resolved tag's name (`tag:yaml.org,2002:int`); Yams keeps `Tag.name` internal.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    /// An empty value: `key:` with nothing after it, `~` or `null`.
    var isNull: Bool {
        guard let scalar else { return false }
        return scalar.style == .plain && tagName == .null
    }

    /// What the node is, for "expected …, found …" messages: `a map`, `a list`,
    /// `a string`, `a number`, `a boolean`, `empty`.
    var kindDescription: String {
        switch self {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            if isNull { return "empty" }
            switch tagName {
            case .int, .float: return "a number"
            case .bool: return "a boolean"
            default: return "a string"
            }
        }
    }

    /// The scalar's text; `nil` for a map, a list or an empty value.
    var text: String? {
        guard let scalar, !isNull else { return nil }
        return scalar.string
    }
}
