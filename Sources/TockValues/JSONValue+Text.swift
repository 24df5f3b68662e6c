import Foundation

extension JSONValue {
    /// The value as JSON text, keys sorted, slashes unescaped — the one form the CLI's
    /// `--json` and the HTTP API both write. `pretty` indents it for people. A number
    /// JSON cannot hold (NaN, ±infinity: a computed figure gone wrong) is written `null`
    /// rather than failing the whole answer.
    public func encoded(pretty: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? (try? encoder.encode(finite)) ?? Data("null".utf8)
    }

    /// The value with every non-finite number replaced by `null`.
    var finite: JSONValue {
        switch self {
        case .number(let number) where !number.isFinite: .null
        case .array(let values): .array(values.map(\.finite))
        case .object(let fields): .object(fields.mapValues(\.finite))
        default: self
        }
    }
}
