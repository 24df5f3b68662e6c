import ArgumentParser
import Foundation
import TockCore

/// The criteria `tock jobs list`, `requeue` and `delete` share (see ``TockCore/JobFilter``).
struct JobFilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only jobs in this status (queued, started, finished, failed, scheduled, deferred, canceled, stopped).")
    var status: String?
    @Option(name: .long, help: "Only jobs on this queue.") var queue: String?
    @Option(name: .long, help: "Only jobs whose name starts with this.") var name: String?
    @Option(name: .long, help: "Only jobs whose origin starts with this (cli, api, scheduler:EVENT, …).") var origin: String?
    @Option(name: .long, help: "Only jobs run by this worker.") var worker: String?
    @Option(name: .long, help: "Only jobs created at or after this ISO 8601 time, e.g. 2026-12-01T06:00:00Z.") var since: String?
    @Option(name: .long, help: "Only jobs created before this ISO 8601 time.") var until: String?

    /// Whether any criterion is given.
    var isSet: Bool { [status, queue, name, origin, worker, since, until].contains { $0 != nil } }

    func filter() throws -> JobFilter {
        var filter = JobFilter()
        if let text = status {
            guard let status = JobStatus(rawValue: text) else {
                throw ValidationError("unknown status '\(text)'; expected one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = status
        }
        for (option, value) in [("--queue", queue), ("--name", name), ("--origin", origin), ("--worker", worker)] where value?.isEmpty == true {
            throw ValidationError("\(option) must not be empty; leave it out to match every job")
        }
        filter.queue = queue
        filter.name = name
        filter.origin = origin
        filter.worker = worker
        for (option, text) in [("--since", since), ("--until", until)] {
            guard let text else { continue }
            guard let date = InstantText.date(text) else { throw ValidationError("\(option): '\(text)' is not \(InstantText.expected)") }
            if option == "--since" { filter.since = date } else { filter.until = date }
        }
        return filter
    }
}
