import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import TockCore
import TockValues

/// `GET /api/v1/ws`: the realtime events over a WebSocket, as JSON text messages.
///
/// - Server → client: `{"id": cursor, "type": "finished", "data": {…}}`, `data` being the
///   event as SSE's `data:` has it; `{"id": …, "type": "reset", "data": {"after", "resumes_after"}}`
///   when events after the client's `after` are no longer in the log.
/// - Client → server: `{"subscribe": {"job", "batch", "queue", "name", "types", "after"}}`
///   (all optional) and `{"unsubscribe": {}}`, answered `{"subscribed": {filters}, "after": cursor}`
///   and `{"unsubscribed": {"after": cursor}}`; a bad message is answered `{"error": problem}`
///   and the connection stays open.
/// - A connection has one subscription, one filter set: `subscribe` replaces it. Events
///   arrive in the log's order, each once, so the last `id` received is all a client needs
///   to resume (`after`), as with `Last-Event-ID`. Without `after` it starts from now; a
///   `subscribe` that replaces one without `after` goes on from where the last one was.
/// - The query string of the upgrade request (`/api/v1/ws?queue=default&after=120`) is a
///   first `subscribe`; without filters nor `after` the connection waits for one.
extension APIRoutes {
    /// The HTTP/1.1 server, with the WebSocket upgrade of `/api/v1/ws` (for `Application(server:)`).
    public func httpServer() -> HTTPServerBuilder {
        .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 16))) { request, _, _ in
            let uri = URI(request.path ?? "")
            // Not ours, or a bad query: the router answers it (404, 400).
            guard uri.path == "/api/v1/ws" else { return .dontUpgrade }
            // The upgrade happens before the router and its AccessMiddleware: check the token
            // here. Refused, the router answers the request: 401/403, or 429 past the limit.
            let client: String?
            if access.isOpen {
                client = nil
            } else {
                let signed = uri.queryParameters["token"].map(String.init)
                guard let token = access.streamReader(authorization: request.headerFields[.authorization], signed: signed, now: Date())
                else { return .dontUpgrade }
                client = "token '\(token.name)'"
            }
            if let client {
                do { try streams.enter(client) } catch { return .dontUpgrade }
            }
            let initial: Subscription?
            do {
                initial = try Self.subscription(query: uri.queryParameters)
            } catch {
                if let client { streams.leave(client) }
                return .dontUpgrade
            }
            return .upgrade([:]) { inbound, outbound, _ in
                defer { if let client { self.streams.leave(client) } }
                try await self.serveWebSocket(inbound: inbound, outbound: outbound, initial: initial)
            }
        }
    }

    /// A subscription: its filters and where it resumes.
    struct Subscription: Sendable {
        var filter: StreamFilter
        var after: Int64?
    }

    /// The subscription in the upgrade request's query, `nil` when it has none; 400 for
    /// bad filters.
    static func subscription(query: Parameters) throws -> Subscription? {
        let after = try query["after"].map { text in
            guard let cursor = Int64(text), cursor >= 0 else { throw Problem.invalid("after", "'\(text)' is not an event id (an integer ≥ 0)") }
            return cursor
        }
        let filter = try StreamFilter(query: query)
        if after == nil, filter == StreamFilter() { return nil }
        return Subscription(filter: filter, after: after)
    }

    /// A plain `GET /api/v1/ws`: 426, or 400 for bad filters in its query.
    func webSocketWithoutUpgrade(_ request: Request) throws -> Response {
        _ = try Self.subscription(query: request.uri.queryParameters)
        if let client = streamClient(request) {
            // An upgrade refused for the stream limit lands here: say so.
            try streams.enter(client)
            streams.leave(client)
        }
        var problem = Problem(
            status: .upgradeRequired, title: "WebSocket only",
            detail: "GET /api/v1/ws is a WebSocket: send Connection: Upgrade and Upgrade: websocket (or use GET /api/v1/stream for Server-Sent Events)")
        problem.headers[HTTPField.Name("Upgrade")!] = "websocket"
        throw problem
    }

    enum WebSocketInput: Sendable {
        case message(WebSocketMessage)
        /// The hub read events, or the last batch sent may not have been the last.
        case more
    }

    func serveWebSocket(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, initial: Subscription?) async throws {
        try await hub.withSubscription { wakes in
            let (inputs, sink) = AsyncStream.makeStream(of: WebSocketInput.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 64 * 1024) { sink.yield(.message(message)) }
                    } catch {
                        // The client went away or broke the protocol: the connection ends.
                    }
                    sink.finish()
                }
                group.addTask {
                    for await _ in wakes { sink.yield(.more) }
                    sink.finish()
                }
                var session = WebSocketSession(hub: hub)
                if let initial {
                    try await session.subscribe(initial, outbound)
                    sink.yield(.more)
                }
                for await input in inputs {
                    if case .message(let message) = input { try await session.handle(message, outbound) }
                    if try await session.sendNext(outbound) { sink.yield(.more) }
                }
                group.cancelAll()
            }
        }
    }
}

/// One WebSocket connection's subscription.
struct WebSocketSession {
    let hub: EventHub
    var filter = StreamFilter()
    /// `nil` while unsubscribed.
    var feed: EventFeed?
    /// Where the last subscription was, for one that replaces it without `after`.
    var position: Int64?

    init(hub: EventHub) {
        self.hub = hub
    }

    mutating func handle(_ message: WebSocketMessage, _ outbound: WebSocketOutboundWriter) async throws {
        do {
            guard case .text(let text) = message else { throw Problem.invalid("message", "expected a JSON text message, not binary") }
            let json: JSONValue
            do {
                json = try JSONParser.parse(text, maximumDepth: 8)
            } catch {
                throw Problem.invalid("message", "not JSON: \(error.reason) at offset \(error.offset)")
            }
            guard case .object(let members) = json, members.count == 1, let (verb, body) = members.first else {
                throw Problem.invalid("message", #"expected {"subscribe": {filters}} or {"unsubscribe": {}}"#)
            }
            switch verb {
            case "subscribe":
                guard case .object(let fields) = body else { throw Problem.invalid("subscribe", "expected an object of filters") }
                let after = try fields["after"].flatMap { value -> Int64? in
                    if value == .null { return nil }
                    guard let number = value.numberValue, number >= 0, number == number.rounded(), number < 9e15 else {
                        throw Problem.invalid("after", "expected the id of an event received (an integer ≥ 0)")
                    }
                    return Int64(number)
                }
                try await subscribe(APIRoutes.Subscription(filter: StreamFilter(json: fields), after: after), outbound)
            case "unsubscribe":
                position = feed?.position ?? position
                feed = nil
                try await send(["unsubscribed": ["after": position.map { .number(Double($0)) } ?? .null]], outbound)
            default:
                throw Problem.invalid(verb, #"unknown message; expected {"subscribe": {filters}} or {"unsubscribe": {}}"#)
            }
        } catch let problem as Problem {
            try await send(["error": problem.json], outbound)
        } catch let error as TockError {
            try await send(["error": Problem(error).json], outbound)
        }
    }

    mutating func subscribe(_ subscription: APIRoutes.Subscription, _ outbound: WebSocketOutboundWriter) async throws {
        let resume = subscription.after ?? feed?.position ?? position
        let (start, reset) = try await EventFeed.start(hub: hub, after: resume)
        filter = subscription.filter
        feed = start
        try await send(["subscribed": filter.json, "after": .number(Double(start.position))], outbound)
        if let reset { try await send(reset, outbound) }
    }

    /// Sends the next batch of events, if any; `true` when there may be more.
    mutating func sendNext(_ outbound: WebSocketOutboundWriter) async throws -> Bool {
        guard var current = feed, let read = try await current.next() else { return false }
        feed = current
        switch read {
        case .reset: try await send(read, outbound)
        case .events(let events):
            for event in events.map(\.event) {
                guard await filter.matches(event, hub: hub) else { continue }
                try await send(
                    ["id": .number(Double(event.cursor)), "type": .string(JobJSON.type(event)), "data": JobJSON.object(event)], outbound)
            }
        }
        return true
    }

    func send(_ read: EventFeed.Read, _ outbound: WebSocketOutboundWriter) async throws {
        guard case .reset(let after, let resumesAfter) = read else { return }
        try await send(
            ["id": .number(Double(resumesAfter)), "type": "reset", "data": APIRoutes.resetJSON(after: after, resumesAfter: resumesAfter)],
            outbound)
    }

    func send(_ message: JSONValue, _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.writeTextMessage(String(decoding: message.encoded(pretty: false), as: UTF8.self))
    }
}
