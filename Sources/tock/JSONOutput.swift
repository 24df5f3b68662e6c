import ArgumentParser
import Foundation
import TockValues

/// Prints JSON values the way every `--json` flag does: pretty, keys sorted.
enum JSONOutput {
    static func print(_ value: JSONValue) throws {
        try print(encodable: value)
    }

    static func print(encodable value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Parses `text` as JSON, for `--args`/`--kwargs`/`--items`.
    static func parse(_ text: String, flag: String, expected: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw ValidationError("malformed \(flag): '\(text)' is not JSON; expected \(expected)")
        }
    }
}
