import Foundation
import TockValues

/// One entry of a job's result stream `rq:results:<id>` (RQ's `Result`): how one run
/// ended. `return_value` is base64 of the serializer's JSON; `exc_string` is base64 of
/// zlib of the error text.
struct RQResult: Sendable, Hashable {
    enum Kind: Int, Sendable {
        case successful = 1, failed = 2, stopped = 3, retried = 4, maxRetriesExceeded = 5
    }

    var type: Kind
    var workerName: String
    var returnValue: JSONValue?
    var error: String?

    /// The stream entry's fields, in RQ's order.
    func fields(zlib: RQZlib) -> [String] {
        var fields = ["type", String(type.rawValue), "worker_name", workerName]
        if let error { fields += ["exc_string", Data(zlib.compress(error)).base64EncodedString()] }
        // RQ serializes the return value even when it is None.
        let json = JSONText.encode(returnValue ?? .null)
        fields += ["return_value", Data(json.utf8).base64EncodedString()]
        return fields
    }

    /// Reads an entry's fields (name → raw value); `nil` when it is not a result entry.
    init?(fields: [String: [UInt8]], zlib: RQZlib) {
        guard let raw = fields.text("type").flatMap({ Int($0) }), let type = Kind(rawValue: raw) else { return nil }
        self.type = type
        workerName = fields.text("worker_name") ?? ""
        if let encoded = fields["return_value"], let json = Data(base64Encoded: Data(encoded)) {
            // A value another serializer (pickle) wrote is not JSON: it reads as absent.
            returnValue = try? JSONParser.parse(String(decoding: json, as: UTF8.self))
        }
        if let encoded = fields["exc_string"], let compressed = Data(base64Encoded: Data(encoded)),
            let text = zlib.decompress(Array(compressed), limit: 16 * 1024 * 1024)
        {
            error = String(decoding: text, as: UTF8.self)
        }
    }

    init(type: Kind, workerName: String, returnValue: JSONValue? = nil, error: String? = nil) {
        self.type = type
        self.workerName = workerName
        self.returnValue = returnValue
        self.error = error
    }
}
