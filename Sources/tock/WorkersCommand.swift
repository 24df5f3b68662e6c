import ArgumentParser
import Foundation
import TockCore
import TockValues

/// `tock workers`: the registered workers, as Frappe's RQ Worker list shows them.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workers", abstract: "List workers: state, queues, current job, counts, utilization.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let now = Date()
        let workers = try await client.backend.workers()
        if json { return try JSONOutput.print(.array(workers.map { JobJSON.object($0, now: now) })) }
        var rows = [["NAME", "STATE", "QUEUES", "CURRENT JOB", "OK", "FAILED", "WORKING", "UTIL", "BIRTH", "HEARTBEAT"]]
        for worker in workers {
            rows.append([
                worker.name, worker.state.rawValue, worker.queues.joined(separator: ","), worker.currentJob?.rawValue ?? "",
                String(worker.successfulJobCount), String(worker.failedJobCount), String(format: "%.1fs", worker.totalWorkingTime),
                String(format: "%.1f%%", worker.utilization(at: now)), String(JobJSON.timestamp(worker.birth).prefix(19)),
                String(format: "%.0fs ago", now.timeIntervalSince(worker.lastHeartbeat)),
            ])
        }
        print(TextTable.render(rows))
    }
}

/// `tock queues`: counts per status for every configured queue.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queues", abstract: "Count jobs per status for every queue.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let counts = try await client.backend.queueCounts()
        if json { return try JSONOutput.print(JobJSON.queues(client.configuration, counts: counts)) }
        let names = client.configuration.queues.map(\.name) + counts.keys.filter { name in !client.configuration.queues.contains { $0.name == name } }.sorted()
        var rows = [["QUEUE", "TIMEOUT"] + JobStatus.allCases.map { $0.rawValue.uppercased() }]
        for name in names {
            let timeout = client.configuration.queues.first { $0.name == name }.map { "\($0.timeout)s" } ?? "-"
            rows.append([name, timeout] + JobStatus.allCases.map { String(counts[name]?[$0] ?? 0) })
        }
        print(TextTable.render(rows))
    }
}
