import Hummingbird
import TockCore

extension APIRoutes {
    /// `GET /api/v1/stream`, `GET /api/v1/jobs/ID/stream` (Server-Sent Events) and the
    /// plain-HTTP answer of `GET /api/v1/ws` (the WebSocket itself is the server's upgrade:
    /// ``httpServer()``).
    func addRealtimeRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/stream") { request, _ in try await self.answer { try await self.stream(request, job: nil) } }
        router.get("/api/v1/jobs/{id}/stream") { request, context in
            try await self.answer {
                try await self.stream(request, job: JobID(context.parameters.require("id")))
            }
        }
        router.get("/api/v1/ws") { request, _ in try await self.answer { try self.webSocketWithoutUpgrade(request) } }
    }
}
