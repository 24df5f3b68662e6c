import ArgumentParser
import Foundation
import TockCore

/// `tock queues`: every queue's counts and latency; pause or resume one.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Count jobs per status for every queue; pause or resume one.",
        subcommands: [QueuesListCommand.self, QueuesPauseCommand.self, QueuesResumeCommand.self],
        defaultSubcommand: QueuesListCommand.self
    )
}

/// `tock queues [list]`: counts per status, paused, and the oldest queued job's age.
struct QueuesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Count jobs per status for every queue, with its latency (the oldest queued job's age).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let queues = try await client.queueOverviews()
        let now = Date()
        if json { return try JSONOutput.print(JobJSON.queues(queues, now: now)) }
        var rows = [["QUEUE", "TIMEOUT"] + JobStatus.allCases.map { $0.rawValue.uppercased() } + ["LATENCY"]]
        for queue in queues {
            let name = queue.paused ? "\(queue.name) (PAUSED)" : queue.name
            let latency = queue.latency(at: now).map { String(format: "%.1fs", $0) } ?? "-"
            rows.append(
                [name, queue.configuration.map { "\($0.timeout)s" } ?? "-"]
                    + JobStatus.allCases.map { String(queue.counts[$0] ?? 0) } + [latency])
        }
        print(TextTable.render(rows))
    }
}

/// Pausing or resuming one queue, stored in the backend: every worker on every host obeys.
protocol QueueSwitchCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    var name: String { get }
    var pausing: Bool { get }
}

extension QueueSwitchCommand {
    func run() async throws {
        let client = try global.client()
        if pausing {
            let changed = try await client.pauseQueue(name)
            print(changed ? "\(name) paused: workers claim no more of its jobs; it still accepts new ones" : "\(name) was paused already")
        } else {
            let changed = try await client.resumeQueue(name)
            print(changed ? "\(name) resumed" : "\(name) was not paused")
        }
    }
}

struct QueuesPauseCommand: QueueSwitchCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Stop workers on every host from claiming a queue's jobs; it keeps accepting new ones.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A configured queue.") var name: String
    var pausing: Bool { true }
}

struct QueuesResumeCommand: QueueSwitchCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Let workers claim a paused queue's jobs again.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A configured queue.") var name: String
    var pausing: Bool { false }
}
