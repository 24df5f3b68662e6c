import ArgumentParser
import Foundation
import TockCore
import TockCron
import TockSchedule
import TockValues

/// `tock enqueue`: put a job on a queue and print its id.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Enqueue a job by name and print its id.",
        discussion: """
            Enqueueing an id that exists returns the existing job and changes nothing. With \
            --wait, follows the job with a progress bar and exits 0 if it finished, 1 if it failed.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job name, e.g. cabs_app.tasks.send_invoices.")
    var name: String

    @Option(name: .long, help: "Queue (default: the job's declaration under jobs:, else default).")
    var queue: String?

    @Option(name: .long, help: ArgumentHelp("Positional arguments, a JSON array, e.g. '[2, 3]'.", valueName: "JSON"))
    var args: String?

    @Option(name: .long, help: ArgumentHelp("Keyword arguments, a JSON object, e.g. '{\"region\": \"eu\"}'.", valueName: "JSON"))
    var kwargs: String?

    @Option(name: .long, help: ArgumentHelp("Job id ([A-Za-z0-9_-], at most 128); an idempotency key.", valueName: "ID"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("Timeout, e.g. 90s, 5m (default: the queue's).", valueName: "DURATION"))
    var timeout: String?

    @Option(name: .long, help: ArgumentHelp("Run no earlier than TIME (YYYY-MM-DDTHH:MM[:SS], in the configured zone or with an offset).", valueName: "TIME"))
    var at: String?

    @Option(name: .long, help: ArgumentHelp("Run no earlier than this long from now, e.g. 10m.", valueName: "DURATION"))
    var `in`: String?

    @Option(name: .long, help: "Retries after a failure (default: the job's declaration, else none).")
    var retry: Int?

    @Option(name: .long, help: ArgumentHelp("Delays before retries, e.g. 10s,1m,5m, read as RQ reads them: the last is for the last retry, the first repeats when there are more retries (default 10s).", valueName: "LIST"))
    var retryIntervals: String?

    @Flag(name: .long, help: "Wait for the job to end; exit 0 if it finished, 1 if it failed.")
    var wait = false

    @Flag(name: .long, help: "Print the job as JSON.")
    var json = false

    func validate() throws {
        if at != nil, self.in != nil { throw ValidationError("give --at or --in, not both") }
        if let retry, retry < 0 { throw ValidationError("--retry must be 0 or more") }
        if let retryIntervals, retryIntervals.split(separator: ",", omittingEmptySubsequences: false).contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--retry-intervals '\(retryIntervals)' has an empty item; expected durations separated by commas, e.g. 10s,1m,5m")
        }
    }

    func run() async throws {
        let client = try global.client()
        let now = Date()
        // A job declared under jobs: in the schedule files brings its queue, timeout and retries.
        let request = EnqueueRequest(
            name, declaration: JobDeclarations.find(name, configuration: client.configuration), queue: queue,
            args: try parsedArgs(), kwargs: try parsedKwargs(), id: id,
            timeout: try timeout.map { try DurationArgument.seconds($0, flag: "--timeout") },
            at: try runAt(client.configuration, now: now), retry: try retryPolicy(), origin: "cli")
        let outcome = try await client.enqueue(request, now: now)
        if !json {
            print(outcome.job.id)
        }
        if !outcome.created {
            FileHandle.standardError.write(Data("note: job \(outcome.job.id) exists already (\(outcome.job.status)); nothing was enqueued\n".utf8))
        }
        // With --wait, --json prints the job as it ended, not as it was enqueued.
        let job = wait ? try await JobFollower(backend: client.backend).follow(outcome.job.id) : outcome.job
        if json { try JSONOutput.print(JobJSON.object(job)) }
        if wait, job.status != .finished { throw ExitCode(1) }
    }

    private func retryPolicy() throws -> RetryPolicy? {
        let intervals = try retryIntervals.map { list in
            try list.split(separator: ",").map { try DurationArgument.seconds(String($0), flag: "--retry-intervals") }
        }
        guard let count = retry ?? intervals.map({ $0.count }), count > 0 else { return nil }
        return RetryPolicy(max: count, intervals: intervals ?? [])
    }

    private func parsedArgs() throws -> [JSONValue] {
        guard let args else { return [] }
        guard case .array(let values) = try JSONOutput.parse(args, flag: "--args", expected: "a JSON array such as '[2, 3]'") else {
            throw ValidationError("malformed --args: '\(args)' is not a JSON array; expected e.g. '[2, 3]'")
        }
        return values
    }

    private func parsedKwargs() throws -> [String: JSONValue] {
        guard let kwargs else { return [:] }
        guard case .object(let values) = try JSONOutput.parse(kwargs, flag: "--kwargs", expected: "a JSON object such as '{\"region\": \"eu\"}'") else {
            throw ValidationError("malformed --kwargs: '\(kwargs)' is not a JSON object; expected e.g. '{\"region\": \"eu\"}'")
        }
        return values
    }

    private func runAt(_ configuration: Configuration, now: Date) throws -> Date? {
        if let at {
            let zone = try CronTimeZone.argument(configuration.timeZone)
            return Date(timeIntervalSince1970: Double(try TimeArgument(parsing: at).instant(in: zone)))
        }
        if let delay = self.in {
            return now.addingTimeInterval(Double(try DurationArgument.seconds(delay, flag: "--in")))
        }
        return nil
    }
}

/// Durations on the command line: `30s`, `5m`, `1h30m`, or seconds.
enum DurationArgument {
    static func seconds(_ text: String, flag: String) throws -> Int {
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            throw ValidationError("bad \(flag) '\(text)': \(DurationText.expected)")
        }
        return seconds
    }
}
