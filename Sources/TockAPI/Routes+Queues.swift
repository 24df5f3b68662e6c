import Foundation
import Hummingbird
import TockCore

/// `GET /api/v1/queues` (as `tock queues --json`), and pausing or resuming one queue
/// (as `tock queues pause|resume NAME`), answered with the queue's object.
extension APIRoutes {
    func addQueueRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/queues") { _, _ in
            try await self.answer { .json(JobJSON.queues(try await self.client.queueOverviews(), now: Date())) }
        }
        for (action, pausing) in [("pause", true), ("resume", false)] {
            router.post("/api/v1/queues/{name}/\(action)") { _, context in
                try await self.answer { try await self.switchQueue(context.parameters.require("name"), pausing: pausing) }
            }
        }
    }

    /// 200 with the queue after the change (or with none: pausing twice is no error);
    /// 404 for a queue the configuration does not name.
    func switchQueue(_ name: String, pausing: Bool) async throws -> Response {
        do {
            _ = try await pausing ? client.pauseQueue(name) : client.resumeQueue(name)
        } catch TockError.unknownQueue(let name, let known) {
            throw Problem(
                status: .notFound, title: "No such queue",
                detail: "no queue named '\(name)' in the configuration; configured queues: \(known.joined(separator: ", "))")
        }
        return .json(JobJSON.queue(try await client.queueOverview(name), now: Date()))
    }
}
