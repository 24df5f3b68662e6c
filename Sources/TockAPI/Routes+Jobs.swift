import Foundation
import Hummingbird
import TockCore
import TockValues

extension APIRoutes {
    /// `GET /api/v1/jobs` (a page of a filtered listing) and the bulk actions
    /// `POST /api/v1/jobs/requeue` and `POST /api/v1/jobs/delete`. The bulk paths have one
    /// segment after `jobs/`, so they never meet the per-job `POST /api/v1/jobs/{id}/requeue`.
    func addJobListRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/jobs") { request, _ in try await self.answer { try await self.listJobs(request) } }
        router.post("/api/v1/jobs/requeue") { request, _ in
            try await self.answer {
                let filter = try await self.bulkFilter(request, action: "requeue")
                return .json(["count": .number(Double(try await self.client.backend.requeue(matching: filter, now: Date())))])
            }
        }
        router.post("/api/v1/jobs/delete") { request, _ in
            try await self.answer {
                let filter = try await self.bulkFilter(request, action: "delete")
                return .json(["count": .number(Double(try await self.client.backend.delete(matching: filter)))])
            }
        }
    }

    /// `{"jobs": [...], "next_cursor": "…" | null}`, newest first.
    func listJobs(_ request: Request) async throws -> Response {
        var fields: [String: String] = [:]
        var errors: [Problem.FieldError] = []
        let known = JobFilterFields.criteria + ["cursor", "limit"]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard known.contains(name) else {
                errors.append(.init(field: name, message: "unknown parameter; known: \(known.joined(separator: ", "))"))
                continue
            }
            fields[name] = String(value)
        }
        let parsed = JobFilterFields(fields)
        errors += parsed.errors
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        let page = try await client.backend.page(matching: parsed.filter)
        return .json([
            "jobs": .array(page.jobs.map(JobJSON.object)),
            "next_cursor": page.nextCursor.map { .string($0.text) } ?? .null,
        ])
    }

    /// The filter a bulk action's body gives: a JSON object of criteria (strings), and
    /// `"all": true` to act on every job (an empty filter alone is refused: a body that
    /// lost its fields must not requeue or delete everything).
    func bulkFilter(_ request: Request, action: String) async throws -> JobFilter {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let text = String(buffer: body)
        let value: JSONValue
        do {
            value = try JSONParser.parse(text.isEmpty ? "{}" : text, maximumDepth: 4)
        } catch {
            throw Problem.invalid("body", "not JSON (\(error)); expected an object such as {\"status\": \"failed\", \"queue\": \"long\"}")
        }
        guard case .object(let object) = value else { throw Problem.invalid("body", "expected a JSON object of criteria") }
        var fields: [String: String] = [:]
        var errors: [Problem.FieldError] = []
        var all = false
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if name == "all" {
                guard case .bool(let flag) = value else {
                    errors.append(.init(field: "all", message: "expected true or false"))
                    continue
                }
                all = flag
            } else if JobFilterFields.criteria.contains(name) {
                guard case .string(let text) = value else {
                    errors.append(.init(field: name, message: "expected a string"))
                    continue
                }
                fields[name] = text
            } else {
                errors.append(.init(field: name, message: "unknown field; known: \((JobFilterFields.criteria + ["all"]).joined(separator: ", "))"))
            }
        }
        let parsed = JobFilterFields(fields)
        errors += parsed.errors
        if errors.isEmpty, parsed.filter.matchesEverything, !all {
            errors.append(.init(field: "all", message: "an empty filter would \(action) every job; give criteria, or \"all\": true to mean it"))
        }
        if errors.isEmpty, all, !parsed.filter.matchesEverything {
            errors.append(.init(field: "all", message: "\"all\": true takes every job; leave it out when giving criteria"))
        }
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        return parsed.filter
    }
}
