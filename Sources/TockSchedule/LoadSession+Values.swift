import TockValues
import Yams

extension LoadSession {
    /// The key/value pairs of a map, with YAML merge keys (`<<: *defaults`) applied:
    /// the map's own keys win over merged ones, and earlier merged maps over later ones.
    func entries(of mapping: Node.Mapping) -> [(key: Node, value: Node)] {
        var own: [(key: Node, value: Node)] = []
        var merged: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard key.scalar != nil, key.tagName == .merge else {
                own.append((key, value))
                continue
            }
            let sources = value.sequence.map(Array.init) ?? [value]
            for source in sources {
                if let inner = source.mapping { merged += entries(of: inner) }
            }
        }
        var seen = Set(own.compactMap(\.key.text))
        for pair in merged where seen.insert(pair.key.text ?? "").inserted {
            own.append(pair)
        }
        return own
    }

    /// The pairs of `node`, which should be a map (an empty value is an empty map).
    /// - Parameter expected: What the map holds, for the message when it is not one:
    ///   `a map from job name to job`.
    mutating func mapEntries(_ node: Node, expected: @autoclosure () -> String) -> [(key: Node, value: Node)]? {
        if node.isNull { return [] }
        guard let mapping = node.mapping else {
            error("expected \(expected()), found \(node.kindDescription)", at: node)
            return nil
        }
        return entries(of: mapping)
    }

    /// The text of a map key, which must be a plain name.
    mutating func keyText(_ key: Node) -> String? {
        guard let text = key.text, !text.isEmpty else {
            let found = key.text == nil ? key.kindDescription : "an empty string"
            error("expected a name as the key, found \(found)", at: key)
            return nil
        }
        return text
    }

    /// The fields of a map whose keys are fixed: reports unknown keys (with the nearest
    /// allowed one) and returns the known ones.
    mutating func keyedFields(
        of node: Node, allowed: [String], in context: String
    ) -> [String: (key: Node, value: Node)] {
        guard let pairs = mapEntries(node, expected: "\(context) map with keys " + allowed.joined(separator: ", "))
        else { return [:] }
        var fields: [String: (key: Node, value: Node)] = [:]
        for (key, value) in pairs {
            guard let name = keyText(key) else { continue }
            guard allowed.contains(name) else {
                error(
                    "unknown key '\(name)'; " + NearestMatch.suggestion(for: name, in: allowed)
                        + "allowed: " + allowed.joined(separator: ", "), at: key)
                continue
            }
            fields[name] = (key, value)
        }
        return fields
    }

    /// The text of a value that must be a non-empty string (a number is taken as its text).
    ///
    /// A block scalar (`|` or `>`) ends with the line break its syntax adds; for these
    /// one-line values that break is dropped, so `schedule: |` works as `schedule: "…"`.
    mutating func string(_ node: Node, for key: String, expected: String) -> String? {
        var text = node.text
        if let scalar = node.scalar, scalar.style == .literal || scalar.style == .folded {
            text = text?.trimmingCharacters(in: .newlines)
        }
        guard let text, !text.isEmpty else {
            error("'\(key)' must be \(expected), found \(node.kindDescription)", at: node)
            return nil
        }
        return text
    }

    /// A value that must be `true` or `false`.
    mutating func bool(_ node: Node, for key: String) -> Bool? {
        guard node.tagName == .bool, let text = node.text else {
            error("'\(key)' must be true or false, found \(node.kindDescription) \(node.text.map { "'\($0)'" } ?? "")"
                .trimmingTrailingSpace, at: node)
            return nil
        }
        return ["true", "yes", "on"].contains(text.lowercased())
    }

    /// A duration in seconds (`30s`, `1h30m`, `90`).
    mutating func duration(_ node: Node, for key: String, allowZero: Bool) -> Int? {
        guard let text = node.text, node.tagName != .float, let seconds = DurationText.seconds(text) else {
            let found = node.text.map { "'\($0)'" } ?? node.kindDescription
            error("bad duration \(found) for '\(key)'; \(DurationText.expected)", at: node)
            return nil
        }
        guard allowZero || seconds > 0 else {
            error("'\(key)' must be longer than 0s", at: node)
            return nil
        }
        return seconds
    }

    /// A queue name the service knows.
    mutating func queue(_ node: Node) -> String? {
        guard let name = string(node, for: "queue", expected: "a queue name") else { return nil }
        guard options.queues.contains(name) else {
            error(
                "unknown queue '\(name)'; " + NearestMatch.suggestion(for: name, in: options.queues)
                    + "known queues: " + options.queues.joined(separator: ", "), at: node)
            return nil
        }
        return name
    }
}

extension String {
    var trimmingTrailingSpace: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
