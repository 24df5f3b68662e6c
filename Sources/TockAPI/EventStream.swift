import Foundation
import Hummingbird
import TockCore
import TockValues

/// Server-Sent Events: `GET /api/v1/stream` and `GET /api/v1/jobs/ID/stream`.
///
/// - `id:` is the event log's cursor; a reconnect with `Last-Event-ID` resumes right after
///   it, from the backend's log, with nothing lost or repeated. When events after it have
///   been pruned from the log (or the id is newer than the log: it was recreated) the
///   stream says `event: reset` (refetch what you show), whose `id:` is where it goes on.
/// - `event:` is ``TockCore/JobJSON/type(_:)``; `data:` is the event as JSON.
/// - A comment line every 15 s keeps proxies from closing an idle stream.
/// - A job's stream starts with `event: job` (the job as it stands, no `id:`) and ends
///   after the job's terminal event; for a job that had ended already, at once (with
///   `Last-Event-ID`: after replaying the job's events the client missed).
extension APIRoutes {
    func stream(_ request: Request, job: JobID?) async throws -> Response {
        var filter = try StreamFilter(query: request.uri.queryParameters)
        if let job { filter.job = job }
        let lastEventID = try Self.lastEventID(request)
        let (start, reset) = try await EventFeed.start(hub: hub, after: lastEventID)
        // Read after the feed's start: a change after the snapshot is an event after it.
        var snapshot: Job?
        var horizon: Int64?
        if let job {
            guard let current = try await client.backend.job(job) else { throw TockError.jobNotFound(job) }
            snapshot = current
            if current.status.isTerminal {
                if lastEventID == nil { horizon = start.position } else { horizon = try await client.backend.newestEventCursor() }
            }
        }
        let hub = hub
        let (matching, current, end) = (filter, snapshot, horizon)
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let client = streamClient(request)
        if let client { try streams.enter(client) }
        let streams = streams
        let body = ResponseBody { writer in
            defer { if let client { streams.leave(client) } }
            var feed = start
            try await hub.withSubscription { wakes in
                var opening = ByteBuffer()
                if let current { opening.writeImmutableBuffer(Self.frame(id: nil, type: "job", data: JobJSON.object(current))) }
                if let reset { opening.writeImmutableBuffer(Self.frame(reset)) }
                if opening.readableBytes > 0 { try await writer.write(opening) }
                var iterator = wakes.makeAsyncIterator()
                while true {
                    while let read = try await feed.next() {
                        var frames = ByteBuffer()
                        var ended = false
                        switch read {
                        case .reset: frames.writeImmutableBuffer(Self.frame(read))
                        case .events(let events):
                            for shared in events {
                                let event = shared.event
                                if await matching.matches(event, hub: hub) { frames.writeImmutableBuffer(shared.frame) }
                                // A job's stream ends with the job, whichever types it shows.
                                if let current, event.job == current.id, event.status.isTerminal {
                                    ended = true
                                    break
                                }
                            }
                        }
                        if frames.readableBytes > 0 { try await writer.write(frames) }
                        if ended { return }
                    }
                    // A job that had ended: nothing more after what the log held then.
                    if let end, feed.position >= end { return }
                    guard let wake = await iterator.next() else { return }
                    if case .tick = wake { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The `Last-Event-ID` header: a cursor, or a 400 naming the header.
    static func lastEventID(_ request: Request) throws -> Int64? {
        guard let text = request.headers.first(where: { $0.name.canonicalName == "last-event-id" })?.value else { return nil }
        guard let cursor = Int64(text.trimmingCharacters(in: .whitespaces)), cursor >= 0 else {
            throw Problem.invalid("Last-Event-ID", "'\(text)' is not an event id; expected the id: of an event this stream sent (an integer ≥ 0)")
        }
        return cursor
    }

    static func frame(_ event: JobEvent) -> ByteBuffer {
        frame(id: event.cursor, type: JobJSON.type(event), data: JobJSON.object(event))
    }

    static func frame(_ reset: EventFeed.Read) -> ByteBuffer {
        guard case .reset(let after, let resumesAfter) = reset else { return ByteBuffer() }
        return frame(id: resumesAfter, type: "reset", data: resetJSON(after: after, resumesAfter: resumesAfter))
    }

    static func resetJSON(after: Int64, resumesAfter: Int64) -> JSONValue {
        ["after": .number(Double(after)), "resumes_after": .number(Double(resumesAfter))]
    }

    static func frame(id: Int64?, type: String, data: JSONValue) -> ByteBuffer {
        var text = id.map { "id: \($0)\n" } ?? ""
        text += "event: \(type)\ndata: " + String(decoding: data.encoded(pretty: false), as: UTF8.self) + "\n\n"
        return ByteBuffer(string: text)
    }
}
