import Foundation
import Hummingbird
import TockCore
import TockValues

/// Server-Sent Events: `GET /api/v1/stream` and `GET /api/v1/jobs/ID/stream`.
///
/// - `id:` is the event log's cursor; a reconnect with `Last-Event-ID` resumes right after
///   it, from the backend's log, with nothing lost or repeated; when events after it have
///   been pruned from the log the stream says `event: reset` (refetch what you show) and
///   goes on from the oldest kept.
/// - `event:` is ``TockCore/JobJSON/type(_:)``; `data:` is the event as JSON.
/// - A comment line every 15 s keeps proxies from closing an idle stream.
/// - A job's stream starts with `event: job` (the job as it stands) and ends after the
///   job's terminal event.
extension APIRoutes {
    struct StreamFilter: Sendable {
        var job: JobID?
        var batch: String?
        var queue: String?
        var types: Set<String>?

        func matches(_ event: JobEvent) -> Bool {
            (job == nil || event.job == job) && (batch == nil || event.batch == batch)
                && (queue == nil || event.queue == queue) && (types?.contains(JobJSON.type(event)) ?? true)
        }
    }

    enum StreamItem: Sendable {
        case event(JobEvent)
        case keepAlive
    }

    static let keepAliveInterval: Duration = .seconds(15)

    func stream(_ request: Request, hub: EventHub, job: JobID?) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = StreamFilter(
            job: job, batch: query["batch"].map(String.init), queue: query["queue"].map(String.init),
            types: query["types"].map { Set($0.split(separator: ",").map(String.init)) })
        if job == nil, let text = query["job"].map(String.init) { filter.job = try JobID(text) }
        let lastEventID = request.headers.first { $0.name.canonicalName == "last-event-id" }.flatMap { Int64($0.value) }
        var snapshot: Job?
        if let job {
            guard let current = try await client.backend.job(job) else { throw TockError.jobNotFound(job) }
            snapshot = current
        }
        let live = hub.subscribe()
        let backend = client.backend
        let (matching, current) = (filter, snapshot)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            var sent = lastEventID
            if let snapshot = current {
                try await writer.write(Self.frame(id: nil, type: "job", data: JobJSON.object(snapshot)))
                if snapshot.status.isTerminal, lastEventID == nil { return try await writer.finish(nil) }
            }
            if let from = lastEventID {
                // Replay what the client missed, from the log itself.
                var cursor = from
                while true {
                    let events = try await backend.events(after: cursor, limit: 1_000)
                    guard let first = events.first else { break }
                    if cursor == from, first.cursor > from + 1 {
                        try await writer.write(Self.frame(id: nil, type: "reset", data: ["after": .number(Double(from))]))
                    }
                    for event in events where matching.matches(event) {
                        try await writer.write(Self.frame(event))
                        if job != nil, event.status.isTerminal { return try await writer.finish(nil) }
                    }
                    cursor = events.last!.cursor
                    sent = cursor
                }
            }
            let ended = try await withThrowingTaskGroup(of: Void.self) { group in
                let (items, sink) = AsyncStream.makeStream(of: StreamItem.self)
                group.addTask {
                    for await event in live { sink.yield(.event(event)) }
                    sink.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: Self.keepAliveInterval)
                        sink.yield(.keepAlive)
                    }
                }
                defer { group.cancelAll() }
                for await item in items {
                    switch item {
                    case .keepAlive:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .event(let event):
                        if let sent, event.cursor <= sent { continue }
                        sent = event.cursor
                        guard matching.matches(event) else { continue }
                        try await writer.write(Self.frame(event))
                        if job != nil, event.status.isTerminal { return true }
                    }
                }
                return false
            }
            _ = ended
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func frame(_ event: JobEvent) -> ByteBuffer {
        frame(id: event.cursor, type: JobJSON.type(event), data: JobJSON.object(event))
    }

    static func frame(id: Int64?, type: String, data: JSONValue) -> ByteBuffer {
        var text = id.map { "id: \($0)\n" } ?? ""
        text += "event: \(type)\ndata: " + String(decoding: data.encoded(pretty: false), as: UTF8.self) + "\n\n"
        return ByteBuffer(string: text)
    }
}
