import Foundation
import Hummingbird
import TockCore
import TockValues

/// `POST /api/v1/batches` and `GET /api/v1/batches/ID`.
///
/// A batch's items come inline (`{…, "items": [...]}`, at most ``maximumInlineBatchBytes``)
/// or as NDJSON (`Content-Type: application/x-ndjson`, parameters in the query string, one
/// item per line), read as the body arrives: the chunks are stored `deferred` a few hundred
/// at a time and queued together when the body has ended (``TockCore/BatchWriter``). A body
/// with a bad line, or one that breaks off, deletes what was stored: no chunk of such a
/// batch ever runs.
extension APIRoutes {
    /// The largest inline (JSON) batch body; more goes as NDJSON.
    static let maximumInlineBatchBytes = 16 << 20

    func addBatchRoutes(to router: Router<BasicRequestContext>) {
        let batches = router.group("/api/v1/batches")
        batches.post { request, _ in try await self.answer { try await self.postBatch(request) } }
        batches.get("{id}") { _, context in try await self.answer { try await self.showBatch(context.parameters.require("id")) } }
    }

    func showBatch(_ id: String) async throws -> Response {
        guard let status = try await client.backend.batch(id) else {
            throw Problem(status: .notFound, title: "No such batch", detail: "no batch with id '\(id)'")
        }
        return .json(try await BatchJSON.object(status, backend: client.backend))
    }

    /// 202 and `Location` for a new batch; 200 with the batch as it stands when its id (or
    /// `Idempotency-Key`) exists already (its items are not read).
    func postBatch(_ request: Request) async throws -> Response {
        let key = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
        let isNDJSON = request.headers[.contentType].map { $0.lowercased().hasPrefix("application/x-ndjson") } ?? false
        let (status, created) = try await isNDJSON ? streamedBatch(request, idempotencyKey: key) : inlineBatch(request, idempotencyKey: key)
        let json = try await BatchJSON.object(status, backend: client.backend)
        return .json(json, status: created ? .accepted : .ok, headers: [.location: "/api/v1/batches/\(status.batch.id)"])
    }

    /// An NDJSON body: the parameters from the query string, an item per line, each line
    /// added as soon as it has arrived whole.
    private func streamedBatch(_ request: Request, idempotencyKey: String?) async throws -> (BatchStatus, Bool) {
        var query: [String: JSONValue] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = .string(String(value)) }
        let parameters = try BatchBody(query, idempotencyKey: idempotencyKey)
        return try await receiveBatch(parameters) { writer in
            var lines = NDJSONLines()
            for try await piece in request.body {
                for line in try lines.lines(in: piece.readableBytesView) {
                    try await writer.add(try Self.item(line, index: writer.itemCount))
                }
            }
            if let line = lines.finish() { try await writer.add(try Self.item(line, index: writer.itemCount)) }
        }
    }

    /// A JSON body `{name, chunk_size, items: [...], …}`, read whole (at most
    /// ``maximumInlineBatchBytes``).
    private func inlineBatch(_ request: Request, idempotencyKey: String?) async throws -> (BatchStatus, Bool) {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumInlineBatchBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(
                status: .contentTooLarge, title: "Body too large",
                detail: "an inline batch body holds at most \(Self.maximumInlineBatchBytes) bytes; stream larger batches as NDJSON")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(buffer: body), maximumDepth: JobLimits.maximumNesting + 2)
        } catch {
            throw Problem.invalid(
                "body", "not JSON (at byte \(error.offset + 1): \(error.reason)); expected {\"name\": \"app.post_invoices\", \"chunk_size\": 100, \"items\": [...]}")
        }
        guard case .object(let object) = value else { throw Problem.invalid("body", "expected a JSON object") }
        let parameters = try BatchBody(object, idempotencyKey: idempotencyKey, extra: ["items"])
        guard case .array(let items)? = object["items"] else { throw Problem.invalid("items", "required: a JSON array of items") }
        return try await receiveBatch(parameters) { writer in
            for item in items { try await writer.add(item) }
        }
    }

    /// Opens the batch, lets `fill` add its items, seals it; discards it when anything
    /// fails. Returns the batch and whether it is new.
    private func receiveBatch(
        _ parameters: BatchBody, fill: (inout BatchWriter) async throws -> Void
    ) async throws -> (BatchStatus, Bool) {
        let declaration = declarations[parameters.name]
        let opening = try await client.openBatch(
            name: parameters.name, chunkSize: parameters.chunkSize, queue: parameters.queue ?? declaration?.queue ?? "default",
            timeout: parameters.timeout ?? declaration?.timeout, onComplete: parameters.onComplete, id: parameters.id)
        switch opening {
        case .existing(let status):
            guard status.batch.sealed else {
                throw Problem(
                    status: .conflict, title: "Batch being received",
                    detail: "batch '\(status.batch.id)' is still being received from another request; GET it later")
            }
            return (status, false)
        case .opened(var writer):
            do {
                try await refuseIfFull(writer.batch.queue)
                try await fill(&writer)
                return (try await writer.seal(), true)
            } catch {
                await writer.discard()
                throw Self.batchProblem(error, itemCount: writer.itemCount)
            }
        }
    }

    /// A queue already at its `max_queued` refuses the batch before its items are read
    /// (the seal checks again, counting the batch's chunks).
    private func refuseIfFull(_ queue: String) async throws {
        guard let maximum = client.configuration.maxQueued[queue] else { return }
        if try await client.backend.queueCounts()[queue]?[.queued] ?? 0 >= maximum {
            throw TockError.queueFull(queue, maxQueued: maximum)
        }
    }

    /// An NDJSON line as an item; a bad line is a 400 naming `items[N]` and the line.
    private static func item(_ line: NDJSONLines.Line, index: Int) throws -> JSONValue {
        do {
            return try line.value(field: "items")
        } catch {
            if case .malformedJSON(_, let detail) = error { throw Problem.invalid("items[\(index)]", detail) }
            throw Problem(error)
        }
    }

    /// The answer for what stopped a batch being received: too many items 413, a line
    /// too long 400, the rest as thrown.
    private static func batchProblem(_ error: any Error, itemCount: Int) -> any Error {
        guard case TockError.invalidArgument(let message)? = error as? TockError else { return error }
        if itemCount >= BatchLimits.maximumItems {
            return Problem(status: .contentTooLarge, title: "Batch too large", detail: message)
        }
        if message.hasPrefix("line ") { return Problem.invalid("body", message) }
        if message.hasPrefix("items") { return Problem.invalid("items", message) }
        return error
    }
}
