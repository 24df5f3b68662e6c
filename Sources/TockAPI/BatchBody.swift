import Foundation
import TockCore
import TockValues

/// `POST /api/v1/batches`' parameters: `{name, chunk_size, queue, timeout, on_complete,
/// id}` from the JSON body (with `items`) or, for an NDJSON body, from the query string.
/// Every field at fault is reported at once, each by name.
struct BatchBody {
    static let fields = ["name", "chunk_size", "queue", "timeout", "on_complete", "id"]

    var name = ""
    var chunkSize = 0
    var queue: String?
    var timeout: Int?
    var onComplete: String?
    var id: String?

    /// Reads the parameters from `object` (query string values arrive as strings);
    /// `idempotencyKey` (the header) stands for `id` when none is given; `extra` names
    /// fields the caller reads itself (`items`).
    init(_ object: [String: JSONValue], idempotencyKey: String?, extra: [String] = []) throws(Problem) {
        var errors: [Problem.FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        for key in object.keys.sorted() where !Self.fields.contains(key) && !extra.contains(key) {
            fail(key, "unknown field; accepted: \((Self.fields + extra).joined(separator: ", "))")
        }
        switch object["name"] {
        case .string(let text)?: name = text
        case nil: fail("name", "required: the job name each chunk runs, such as \"cabs_app.tasks.post_invoices\"")
        default: fail("name", "must be a string")
        }
        switch Self.integer(object["chunk_size"]) {
        case .some(let size?) where (1...BatchLimits.maximumChunkSize).contains(size): chunkSize = size
        case nil: fail("chunk_size", "required: items per chunk job, 1 to \(BatchLimits.maximumChunkSize)")
        default: fail("chunk_size", "must be a whole number from 1 to \(BatchLimits.maximumChunkSize)")
        }
        switch object["timeout"] {
        case nil, .null?: break
        case .string(let text)? where Int(text) == nil:
            timeout = DurationText.seconds(text).flatMap { $0 > 0 ? $0 : nil }
            if timeout == nil { fail("timeout", "'\(text)': \(DurationText.expected)") }
        case let value?:
            timeout = (Self.integer(value) ?? nil).flatMap { $0 > 0 ? $0 : nil }
            if timeout == nil { fail("timeout", "must be positive seconds or a duration such as \"90s\"") }
        }
        queue = BodyField.string(object["queue"], "queue", fail)
        onComplete = BodyField.string(object["on_complete"], "on_complete", fail)
        id = BodyField.string(object["id"], "id", fail) ?? idempotencyKey
        if !errors.isEmpty { throw .invalid(errors) }
    }

    /// `nil` when absent; `.some(nil)` when present but not a whole number.
    private static func integer(_ value: JSONValue?) -> Int?? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?: return .some(try? CheckedInteger.integer(number, field: "", in: 0...Int(Int32.max)))
        case .string(let text)?: return .some(Int(text))
        default: return .some(nil)
        }
    }

}
