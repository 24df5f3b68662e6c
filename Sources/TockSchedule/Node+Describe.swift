import Yams

extension Node {
    /// The resolved tag's name (`tag:yaml.org,2002:int`), as Yams' default resolver would
    /// give it. Files are composed without resolver rules (``LoadSession/resolver``):
    /// Yams would match every plain scalar against seven regular expressions, half the
    /// load time of a large file. Here only the scalars whose tag is asked for are
    /// resolved, most by a look at their text. (A plain scalar tagged `!!str` explicitly
    /// reads as untagged.)
    var tagName: Tag.Name {
        let name = Tag.Name(rawValue: tag.rawValue)
        guard case .scalar(let scalar) = self, scalar.style == .plain, name == .str else { return name }
        return Self.resolvePlain(scalar.string)
    }

    /// This node with its tag resolved, for Yams' `bool`, `int` and `float`, which
    /// construct values by tag.
    var resolved: Node {
        guard case .scalar(let scalar) = self else { return self }
        return .scalar(.init(scalar.string, Tag(tagName), scalar.style, scalar.mark))
    }

    private static func resolvePlain(_ text: String) -> Tag.Name {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "<<": return .merge
        case "=": return .value
        case "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF":
            return .bool
        default: break
        }
        // Numbers and timestamps start with a digit, a sign or a dot; nothing else needs rules.
        guard let first = text.utf8.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .str }
        return Resolver.default.resolveTag(of: .scalar(.init(text, Tag(.implicit), .plain)))
    }

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
