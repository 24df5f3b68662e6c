import Foundation
import Hummingbird
import TockCore
import TockValues

extension APIRoutes {
    /// `POST /api/v1/stream-tokens`: a short-lived token for `EventSource` (see
    /// ``StreamToken``). Without configured tokens streams are open: `token` is `null`.
    func addAccessRoutes(to router: Router<BasicRequestContext>) {
        // The OpenAPI 3.1 document (Sources/TockAPI/openapi.json), as committed.
        router.get("/api/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        router.post(RouterPath(StreamToken.path)) { request, _ in
            try await self.answer {
                guard !self.access.isOpen else { return .json(["token": .null, "expires_at": .null]) }
                // AccessMiddleware let the request through: it carries a valid bearer token.
                guard let header = request.headers[.authorization], let token = self.access.token(presented: String(header.dropFirst(7))) else {
                    return AccessMiddleware<BasicRequestContext>.unauthorized("send Authorization: Bearer TOKEN")
                }
                let minted = StreamToken.mint(for: token, now: Date())
                return .json(["token": .string(minted.token), "expires_at": .string(JobJSON.timestamp(minted.expires))])
            }
        }
    }
}
