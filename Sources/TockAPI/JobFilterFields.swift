import Foundation
import TockCore
import TockValues

/// A ``TockCore/JobFilter`` from named text fields: the query of `GET /api/v1/jobs`, or
/// the JSON body of `POST /api/v1/jobs/requeue` and `/delete`. Every field at fault is
/// reported, each by name.
struct JobFilterFields {
    /// The criteria, as both the query and the bodies name them.
    static let criteria = ["status", "queue", "batch", "name", "origin", "worker", "since", "until"]

    var filter = JobFilter()
    var errors: [Problem.FieldError] = []

    /// Reads `fields` (name → text); names outside `criteria`, `cursor` and `limit` are
    /// the caller's to check.
    init(_ fields: [String: String]) {
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        for field in ["queue", "batch", "name", "origin", "worker"] {
            guard let text = fields[field] else { continue }
            if text.isEmpty { fail(field, "must not be empty; leave it out to match every job") }
            if text.utf8.count > 1024 { fail(field, "is \(text.utf8.count) bytes long; at most 1024 are accepted") }
        }
        filter.queue = fields["queue"]
        filter.batch = fields["batch"]
        filter.name = fields["name"]
        filter.origin = fields["origin"]
        filter.worker = fields["worker"]
        if let text = fields["status"] {
            if let status = JobStatus(rawValue: text) {
                filter.status = status
            } else {
                fail("status", "unknown status '\(text.prefix(40))'; one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for field in ["since", "until"] {
            guard let text = fields[field] else { continue }
            guard let date = InstantText.date(text) else {
                fail(field, "'\(text.prefix(40))' is not \(InstantText.expected)")
                continue
            }
            if field == "since" { filter.since = date } else { filter.until = date }
        }
        if let text = fields["cursor"] {
            do {
                filter.cursor = try JobCursor(text: text)
            } catch {
                fail("cursor", error.description)
            }
        }
        if let text = fields["limit"] {
            do {
                filter.limit = try CheckedInteger.integer(text, field: "limit", in: 1...JobLimits.maximumListing)
            } catch {
                fail("limit", "\(error)")
            }
        }
    }

    /// The filter, or a 400 naming every field at fault.
    func checked() throws(Problem) -> JobFilter {
        guard errors.isEmpty else { throw Problem.invalid(errors) }
        return filter
    }
}
