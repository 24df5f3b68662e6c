import ArgumentParser
import Foundation
import TockCore
import TockValues

/// `tock jobs`: list jobs, show one, and act on them.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs; show, cancel, stop, requeue or delete one.",
        subcommands: [JobsListCommand.self, JobsShowCommand.self, JobsCancelCommand.self, JobsStopCommand.self,
                      JobsRequeueCommand.self, JobsDeleteCommand.self],
        defaultSubcommand: JobsListCommand.self
    )
}

struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List jobs, newest first; when more follow, prints the next page's --cursor on stderr.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var criteria: JobFilterOptions
    @Option(name: .long, help: "Start after this place: the cursor a previous page printed.") var cursor: String?
    @Option(name: .long, help: "At most this many (1 to 100000).") var limit = 50
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    func validate() throws {
        guard (1...JobLimits.maximumListing).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(JobLimits.maximumListing), got \(limit)")
        }
    }

    func run() async throws {
        var filter = try criteria.filter()
        filter.limit = limit
        if let cursor {
            do {
                filter.cursor = try JobCursor(text: cursor)
            } catch {
                throw ValidationError("--cursor: \(error)")
            }
        }
        let client = try global.client(reading: true)
        let page = try await client.backend.page(matching: filter)
        if let next = page.nextCursor {
            FileHandle.standardError.write(Data("more jobs follow: --cursor \(next.text)\n".utf8))
        }
        if json { return try JSONOutput.print(.array(page.jobs.map(JobJSON.object))) }
        var rows = [["ID", "NAME", "QUEUE", "STATUS", "CREATED", "TOOK", "ERROR"]]
        for job in page.jobs {
            rows.append([
                job.id.rawValue, job.name, job.queue, job.status.rawValue, JobJSON.timestamp(job.createdAt).prefix(19).replacingOccurrences(of: "T", with: " "),
                job.duration.map { String(format: "%.3fs", $0) } ?? "", job.error ?? "",
            ])
        }
        print(TextTable.render(rows))
    }
}

struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job id.") var id: String
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let jobID = try JobID(id)
        guard let job = try await client.backend.job(jobID) else { throw TockError.jobNotFound(jobID) }
        let object = JobJSON.object(job)
        if json { return try JSONOutput.print(object) }
        guard case .object(let fields) = object else { return }
        let order = ["id", "name", "queue", "status", "args", "kwargs", "timeout", "origin", "created_at", "enqueued_at",
                     "scheduled_for", "started_at", "ended_at", "duration", "worker", "last_heartbeat", "progress",
                     "retries_left", "retry_intervals", "batch", "result", "error"]
        var rows: [[String]] = []
        for key in order {
            guard let value = fields[key], value != .null else { continue }
            rows.append([key + ":", Self.text(value)])
        }
        print(TextTable.render(rows, limit: nil))
    }

    static func text(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return String(decoding: value.encoded(pretty: false), as: UTF8.self)
    }
}

/// An action on one job by id, printing the job's new status.
protocol JobActionCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    var id: String { get }
    func act(_ client: JobClient, _ id: JobID, now: Date) async throws -> String
}

extension JobActionCommand {
    func run() async throws {
        let client = try global.client()
        print(try await act(client, try JobID(id), now: Date()))
    }
}

struct JobsCancelCommand: JobActionCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a queued, scheduled or deferred job.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job id.") var id: String

    func act(_ client: JobClient, _ id: JobID, now: Date) async throws -> String {
        let job = try await client.backend.cancel(id, now: now, failureTTL: client.configuration.failureTTL)
        return "\(job.id) \(job.status)"
    }
}

struct JobsStopCommand: JobActionCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a running job (its worker stops it at the next heartbeat).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job id.") var id: String

    func act(_ client: JobClient, _ id: JobID, now: Date) async throws -> String {
        let job = try await client.backend.requestStop(id, now: now)
        return "\(job.id) stop requested (worker \(job.worker ?? "?"))"
    }
}

struct JobsRequeueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Put an ended job back on its queue, or every ended job the criteria match (--failed: every failed one).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job id.") var id: String?
    @Flag(name: .long, help: "Requeue every failed job.") var failed = false
    @OptionGroup var criteria: JobFilterOptions
    @Flag(name: .long, help: "Requeue every ended job (needed when no criterion is given).") var all = false

    func validate() throws {
        if id != nil, failed || all || criteria.isSet { throw ValidationError("give a job id, or criteria (--failed, --all, --status, …), not both") }
        if id == nil, !failed, !all, !criteria.isSet { throw ValidationError("give a job id, criteria (--status, --queue, …), --failed or --all") }
    }

    func run() async throws {
        let client = try global.client()
        if let id {
            let job = try await client.backend.requeue(try JobID(id), now: Date())
            return print("\(job.id) \(job.status)")
        }
        var filter = try criteria.filter()
        if failed {
            if let status = filter.status, status != .failed { throw ValidationError("--failed and --status \(status) disagree") }
            filter.status = .failed
        }
        let count = try await client.backend.requeue(matching: filter, now: Date())
        print("requeued \(count) \(failed ? "failed " : "")\(count == 1 ? "job" : "jobs")")
    }
}

struct JobsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a job's record, or those of every job the criteria match but running ones.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job id.") var id: String?
    @OptionGroup var criteria: JobFilterOptions
    @Flag(name: .long, help: "Delete every job but running ones (needed when no criterion is given).") var all = false

    func validate() throws {
        if id != nil, all || criteria.isSet { throw ValidationError("give a job id, or criteria (--status, --queue, …, --all), not both") }
        if id == nil, !all, !criteria.isSet { throw ValidationError("give a job id, criteria (--status, --queue, …) or --all") }
    }

    func run() async throws {
        let client = try global.client()
        if let id {
            let jobID = try JobID(id)
            guard try await client.backend.delete(jobID) else { throw TockError.jobNotFound(jobID) }
            return print("\(jobID) deleted")
        }
        let count = try await client.backend.delete(matching: try criteria.filter())
        print("deleted \(count) \(count == 1 ? "job" : "jobs")")
    }
}
