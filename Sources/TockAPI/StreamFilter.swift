import Foundation
import Hummingbird
import TockCore
import TockValues

/// Which events a stream sends: the filters of `GET /api/v1/stream` (query parameters) and
/// of a WebSocket `subscribe` message (JSON members), all optional, all of them to match.
struct StreamFilter: Sendable, Hashable {
    var job: JobID?
    var batch: String?
    var queue: String?
    /// The job's name (`tock.sleep`, `reports.build`).
    var name: String?
    /// Event types (``TockCore/JobJSON/type(_:)``).
    var types: Set<String>?

    /// Every type an event can have.
    static let knownTypes: [String] = ["enqueued", "started", "progress"]
        + JobStatus.allCases.map(\.rawValue).filter { !["queued", "started"].contains($0) }

    /// Whether `event` passes; the `name` filter looks the job's name up through `hub`.
    func matches(_ event: JobEvent, hub: EventHub) async -> Bool {
        guard (job == nil || event.job == job) && (batch == nil || event.batch == batch)
            && (queue == nil || event.queue == queue) && (types?.contains(JobJSON.type(event)) ?? true)
        else { return false }
        guard let name else { return true }
        return await hub.name(of: event.job) == name
    }

    /// The filters in a query string.
    init(query: Parameters) throws {
        try self.init(fields: { query[Substring($0)].map(String.init) })
    }

    /// The filters in a `subscribe` message's object; `types` also as an array.
    init(json: [String: JSONValue]) throws {
        let known = ["job", "batch", "queue", "name", "types", "after"]
        if let unknown = json.keys.sorted().first(where: { !known.contains($0) }) {
            throw Problem.invalid(unknown, "unknown filter; the filters are \(known.dropLast().joined(separator: ", ")) (and after)")
        }
        var strings: [String: String] = [:]
        for (key, value) in json where key != "after" {
            switch value {
            case .string(let text): strings[key] = text
            case .array(let items) where key == "types":
                let texts = items.compactMap(\.stringValue)
                guard texts.count == items.count else { throw Problem.invalid("types", "expected an array of strings") }
                strings[key] = texts.joined(separator: ",")
            case .null: continue
            default: throw Problem.invalid(key, "expected a string")
            }
        }
        try self.init(fields: { strings[$0] })
    }

    init(job: JobID? = nil) {
        self.job = job
    }

    private init(fields: (String) -> String?) throws {
        if let text = fields("job") {
            do {
                job = try JobID(text)
            } catch {
                throw Problem.invalid("job", error.description)
            }
        }
        batch = fields("batch")
        queue = fields("queue")
        name = fields("name")
        if let text = fields("types") {
            let types = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            if let unknown = types.sorted().first(where: { !Self.knownTypes.contains($0) }) {
                throw Problem.invalid("types", "unknown type '\(unknown)'; one of \(Self.knownTypes.joined(separator: ", "))")
            }
            self.types = types
        }
    }

    /// The filters as JSON, as a WebSocket `subscribed` acknowledgment repeats them.
    var json: JSONValue {
        var fields: [String: JSONValue] = [:]
        if let job { fields["job"] = .string(job.rawValue) }
        if let batch { fields["batch"] = .string(batch) }
        if let queue { fields["queue"] = .string(queue) }
        if let name { fields["name"] = .string(name) }
        if let types { fields["types"] = .array(types.sorted().map(JSONValue.string)) }
        return .object(fields)
    }
}
