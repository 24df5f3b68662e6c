import Foundation
import Hummingbird
import TockCore
import TockValues

/// An error answer as RFC 9457 `application/problem+json`: what was wrong (`title`,
/// `detail`), and for invalid input every field at fault (`errors: [{field, message}]`).
struct Problem: Error, Sendable {
    struct FieldError: Sendable {
        var field: String
        var message: String
    }

    var status: HTTPResponse.Status
    var title: String
    var detail: String
    var errors: [FieldError] = []
    var headers: HTTPFields = [:]

    /// 400 with the fields at fault.
    static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(
            status: .badRequest, title: "Invalid request",
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    static func invalid(_ field: String, _ message: String) -> Problem { invalid([FieldError(field: field, message: message)]) }

    /// The field a library message names first (`args nests deeper…` → `args`), or `body`.
    static func field(in message: String) -> String {
        let known = ["name", "args", "kwargs", "queue", "timeout", "retry", "id", "at", "in"]
        let first = message.split(whereSeparator: { !$0.isLetter && $0 != "_" }).first.map(String.init) ?? ""
        return known.contains(first) ? first : "body"
    }

    var json: JSONValue {
        var fields: [String: JSONValue] = [
            "type": "about:blank", "title": .string(title), "status": .number(Double(status.code)), "detail": .string(detail),
        ]
        if !errors.isEmpty {
            fields["errors"] = .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        return .object(fields)
    }

    var response: Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.encoded(pretty: false))))
    }
}

extension Problem {
    /// The answer a ``TockCore/TockError`` deserves: invalid input 400 naming its field,
    /// no such job 404, a state that forbids the action 409, a full queue 429 with
    /// `Retry-After`, the backend down 503.
    init(_ error: TockError) {
        switch error {
        case .invalidJobID: self = .invalid("id", error.description)
        case .unknownQueue: self = .invalid("queue", error.description)
        case .malformedJSON(let field, _): self = .invalid(field, error.description)
        case .invalidArgument(let message): self = .invalid(Self.field(in: message), message)
        case .jobNotFound: self.init(status: .notFound, title: "No such job", detail: error.description)
        case .invalidTransition: self.init(status: .conflict, title: "Not in this state", detail: error.description)
        case .queueFull:
            var headers = HTTPFields()
            headers[.retryAfter] = "5"
            self.init(status: .tooManyRequests, title: "Queue full", detail: error.description, headers: headers)
        case .backendUnavailable: self.init(status: .serviceUnavailable, title: "Backend unavailable", detail: error.description)
        default: self.init(status: .internalServerError, title: "Internal error", detail: error.description)
        }
    }
}

extension Response {
    /// A JSON answer, written as the CLI's `--json` writes it.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encoded(pretty: false))))
    }
}
