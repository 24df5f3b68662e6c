import TockValues
import Yams

extension LoadSession {
    /// `args:` as JSON: YAML maps with string keys, lists, strings, numbers, booleans
    /// and nulls. Quoted scalars are strings; timestamps and other scalars are kept as
    /// the text written. Reports what JSON cannot hold (non-string keys, `.inf`, `.nan`),
    /// and more values than ``TockValues/JobLimits/maximumArgumentBytes`` (each takes at
    /// least a byte as JSON, so such arguments could never be enqueued): aliases repeating
    /// a list of lists ("billion laughs") would otherwise expand ten lines into billions
    /// of values, and hours and gigabytes.
    mutating func json(_ node: Node) -> JSONValue? {
        var budget = JobLimits.maximumArgumentBytes
        let value = json(node, budget: &budget)
        if budget < 0 {
            error(
                "'args' holds more than \(JobLimits.maximumArgumentBytes) values (aliases repeating lists?); "
                    + "arguments are at most \(JobLimits.maximumArgumentBytes) bytes as JSON", at: node)
            return nil
        }
        return value
    }

    /// One node; `budget` is how many values may still be made (below 0: stop).
    private mutating func json(_ node: Node, budget: inout Int) -> JSONValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
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
                guard let value = json(item, budget: &budget) else { return nil }
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
                guard let member = json(value, budget: &budget) else {
                    if budget < 0 { return nil }
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
