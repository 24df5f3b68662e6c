import HTTPTypes
import Hummingbird

/// Every error answer is `application/problem+json`, including those Hummingbird makes
/// itself: no route (404), a body over the limit (413), a malformed request.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return Self.problem(error, request: request).response
        }
    }

    static func problem(_ error: HTTPError, request: Request) -> Problem {
        switch error.status {
        case .notFound:
            let allowed = RouteTable.declared.methods(for: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                var headers = HTTPFields()
                headers[.allow] = allowed.joined(separator: ", ")
                return Problem(
                    status: .methodNotAllowed, title: "Method not allowed",
                    detail: "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method)", headers: headers)
            }
            return Problem(
                status: .notFound, title: "Not found",
                detail: "no route \(request.method) \(request.uri.path); the API is described at /api/v1/openapi.json")
        case .contentTooLarge:
            return Problem(status: .contentTooLarge, title: "Body too large", detail: error.body ?? "the request body is over the limit (api.max_body_bytes)")
        default:
            return Problem(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
        }
    }
}

/// CORS for the origins in `api.cors_origins` only (off when the list is empty):
/// Hummingbird's `CORSMiddleware` answers, echoing the origin, for those; a request from
/// any other origin gets no CORS headers, so the browser refuses it the answer.
struct AllowedOriginsMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>
    let cors = CORSMiddleware<Context>(
        allowOrigin: .originBased,
        allowHeaders: [.accept, .authorization, .contentType, .origin, HTTPField.Name("Last-Event-ID")!, HTTPField.Name("Idempotency-Key")!],
        allowMethods: [.get, .post, .delete, .head, .options], exposedHeaders: ["Location", "Retry-After"])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) else { return try await next(request, context) }
        return try await cors.handle(request, context: context, next: next)
    }
}
