import Foundation
import TockCore
import TockValues

/// `POST /api/v1/jobs`'s body: `{name, args, kwargs, queue, timeout, at | in, id, retry}`,
/// read into an ``TockCore/EnqueueRequest`` the job's declaration then completes. Every
/// field at fault is reported at once, each by name.
struct EnqueueBody {
    static let fields = ["name", "args", "kwargs", "queue", "timeout", "at", "in", "id", "retry"]

    var name: String
    var args: [JSONValue] = []
    var kwargs: [String: JSONValue] = [:]
    var queue: String?
    var timeout: Int?
    var at: Date?
    var id: String?
    var retry: RetryPolicy?

    /// Reads `text`; `idempotencyKey` (the header) stands for `id` when the body has none.
    init(_ text: String, idempotencyKey: String?, now: Date) throws(Problem) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text, maximumDepth: JobLimits.maximumNesting + 1)
        } catch {
            throw .invalid("body", "not JSON (\(error)); expected an object such as {\"name\": \"app.send\", \"args\": [1]}")
        }
        guard case .object(let object) = value else { throw .invalid("body", "expected a JSON object") }
        var errors: [Problem.FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        for key in object.keys.sorted() where !Self.fields.contains(key) {
            fail(key, "unknown field; accepted: \(Self.fields.joined(separator: ", "))")
        }
        var name = ""
        switch object["name"] {
        case .string(let text)?: name = text
        case nil: fail("name", "required: the job's name, such as \"cabs_app.tasks.send_invoices\"")
        default: fail("name", "must be a string")
        }
        self.name = name
        switch object["args"] {
        case nil, .null?: break
        case .array(let values)?: args = values
        default: fail("args", "must be a JSON array")
        }
        switch object["kwargs"] {
        case nil, .null?: break
        case .object(let fields)?: kwargs = fields
        default: fail("kwargs", "must be a JSON object")
        }
        queue = BodyField.string(object["queue"], "queue", fail)
        id = BodyField.string(object["id"], "id", fail) ?? idempotencyKey
        timeout = Self.seconds(object["timeout"], "timeout", fail)
        if object["at"] != nil, object["in"] != nil { fail("in", "give at or in, not both") }
        if let text = BodyField.string(object["at"], "at", fail) {
            if let date = Self.instant(text) {
                at = date
            } else {
                fail("at", "'\(text)' is not an ISO 8601 time such as 2026-12-01T06:00:00Z")
            }
        }
        if let delay = Self.seconds(object["in"], "in", fail) { at = now.addingTimeInterval(Double(delay)) }
        switch object["retry"] {
        case nil, .null?: break
        case .object(let fields)?:
            let max = Self.seconds(fields["max"], "retry.max", fail, unit: "a whole number of retries")
            var intervals: [Int] = []
            switch fields["intervals"] {
            case nil, .null?: break
            case .array(let values)?:
                for (index, value) in values.enumerated() {
                    if let seconds = Self.seconds(value, "retry.intervals[\(index)]", fail) { intervals.append(seconds) }
                }
            default: fail("retry.intervals", "must be an array of durations such as [\"10s\", \"1m\"]")
            }
            for key in fields.keys.sorted() where key != "max" && key != "intervals" {
                fail("retry.\(key)", "unknown field; accepted: max, intervals")
            }
            if let max { retry = RetryPolicy(max: max, intervals: intervals) }
        default: fail("retry", "must be an object such as {\"max\": 3, \"intervals\": [\"10s\", \"1m\"]}")
        }
        if !errors.isEmpty { throw .invalid(errors) }
    }

    func request(_ declaration: JobDeclaration?, origin: String) -> EnqueueRequest {
        EnqueueRequest(
            name, declaration: declaration, queue: queue, args: args, kwargs: kwargs, id: id, timeout: timeout, at: at,
            retry: retry, origin: origin)
    }


    /// A positive whole number of seconds, or a duration text (`90s`, `5m`, `1h30m`).
    private static func seconds(
        _ value: JSONValue?, _ field: String, _ fail: (String, String) -> Void, unit: String = "seconds or a duration such as \"90s\""
    ) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            do {
                return try CheckedInteger.integer(number, field: field, in: 1...Int(Int32.max))
            } catch {
                fail(field, "\(error); expected \(unit)")
                return nil
            }
        case .string(let text)?:
            guard let seconds = DurationText.seconds(text), seconds > 0 else {
                fail(field, "'\(text)': \(DurationText.expected)")
                return nil
            }
            return seconds
        default:
            fail(field, "expected \(unit)")
            return nil
        }
    }

    private static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
