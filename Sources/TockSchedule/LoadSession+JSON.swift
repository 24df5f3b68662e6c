import TockValues
import Yams

extension LoadSession {
    /// `args:` as JSON: YAML maps with string keys, lists, strings, numbers, booleans
    /// and nulls. Quoted scalars are strings; timestamps and other scalars are kept as
    /// the text written. Reports what JSON cannot hold (non-string keys, `.inf`, `.nan`).
    mutating func json(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return .null
            case .bool: return node.resolved.bool.map(JSONValue.bool)
            case .int:
                if let value = node.resolved.int { return .number(Double(value)) }
                return jsonNumber(node, scalar.string)
            case .float: return jsonNumber(node, scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence {
                guard let value = json(item) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            var failed = false
            for (key, value) in entries(of: mapping) {
                // A scalar key becomes its text (`1: x` → "1"), as Python's json module does.
                guard let scalar = key.scalar, !key.isNull else {
                    error("'args' keys must be strings (JSON object keys), found \(key.kindDescription)", at: key)
                    failed = true
                    continue
                }
                guard let member = json(value) else {
                    failed = true
                    continue
                }
                members[scalar.string] = member
            }
            return failed ? nil : .object(members)
        case .alias:
            error("'args' holds an alias that could not be resolved", at: node)
            return nil
        }
    }

    private mutating func jsonNumber(_ node: Node, _ text: String) -> JSONValue? {
        guard let value = node.resolved.float, value.isFinite else {
            error("'args' holds '\(text)', which is not a JSON number", at: node)
            return nil
        }
        return .number(value)
    }
}
