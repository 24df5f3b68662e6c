import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TockCore

/// The web dashboard (docs/dashboard.md): HTML pages at `/`, `/jobs`, `/jobs/ID`,
/// `/workers`, `/queues`, and their stylesheet and script under `/assets/`, all compiled
/// into the binary. The pages read the backend as the API does; their script calls the
/// API (`/api/v1/…`) for live updates and actions, so the same tokens and scopes apply.
extension APIRoutes {
    func addDashboardRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in try await self.answer { try await self.overviewPage() } }
        router.get("/jobs") { request, _ in try await self.answer { try await self.jobsPage(request) } }
        router.get("/jobs/{id}") { _, context in try await self.answer { try await self.jobPage(context.parameters.require("id")) } }
        router.get("/workers") { _, _ in
            try await self.answer { Self.html(DashboardPages.workers(try await self.client.workerOverviews(), now: Date())) }
        }
        router.get("/queues") { _, _ in
            try await self.answer { Self.html(DashboardPages.queues(try await self.client.queueOverviews(), now: Date())) }
        }
        for asset in DashboardAssets.all {
            router.get("/assets/\(asset.name)") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = asset.contentType
                headers[.cacheControl] = "no-cache"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.text)))
            }
        }
    }

    func overviewPage() async throws -> Response {
        let now = Date()
        let lease = try await client.backend.lease()
        let leader = lease.flatMap { $0.expiresAt > now ? $0.holder : nil }
        let failures = try await client.backend.jobs(matching: JobFilter(status: .failed, limit: 10))
        return Self.html(
            DashboardPages.overview(
                queues: try await client.queueOverviews(), workers: try await client.workerOverviews(), leader: leader,
                schedulerPaused: try await client.backend.isPaused(), events: schedule.events.count, failures: failures, now: now))
    }

    func jobsPage(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        // The filter form sends empty values for "any".
        func value(_ name: String) -> String? {
            guard let text = query[Substring(name)], !text.isEmpty else { return nil }
            return String(text)
        }
        var filter = DashboardPages.JobsFilter(queue: value("queue"), batch: value("batch"))
        if let status = value("status") {
            guard let parsed = JobStatus(rawValue: status) else {
                throw Problem.invalid("status", "unknown status '\(status)'; one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = parsed
        }
        let jobs = try await client.backend.jobs(matching: filter.backendFilter)
        let queueNames = try await client.queueOverviews().map(\.name)
        return Self.html(DashboardPages.jobs(jobs, filter: filter, queueNames: queueNames))
    }

    func jobPage(_ text: String) async throws -> Response {
        guard let id = try? JobID(text), let job = try await client.backend.job(id) else {
            return Self.html(DashboardPages.notFound("No job with id '\(text)': it may have expired or been deleted."), status: .notFound)
        }
        return Self.html(DashboardPages.job(job))
    }

    /// An HTML answer; the policy lets the page load only the dashboard's own assets and
    /// call only this server, so markup that slipped through escaping could not run.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
