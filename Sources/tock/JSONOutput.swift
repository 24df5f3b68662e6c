import ArgumentParser
import Foundation
import TockValues

/// Prints JSON values the way every `--json` flag does: pretty, keys sorted.
enum JSONOutput {
    static func print(_ value: JSONValue) throws {
        Swift.print(String(decoding: value.encoded(), as: UTF8.self))
    }

    static func print(encodable value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Parses `text` as JSON, for `--args`/`--kwargs`/`--items`.
    static func parse(_ text: String, flag: String, expected: String) throws -> JSONValue {
        do {
            // The reader the backends use, with the nesting enqueue accepts (JobLimits).
            return try JSONParser.parse(text, maximumDepth: JobLimits.maximumNesting)
        } catch where error.tooDeep {
            throw ValidationError(
                "\(flag) nests deeper than \(JobLimits.maximumNesting) levels; at most \(JobLimits.maximumNesting) are accepted")
        } catch {
            let shown = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
            throw ValidationError("malformed \(flag): '\(shown)' is not JSON; expected \(expected)")
        }
    }
}
