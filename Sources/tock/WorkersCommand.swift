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
        let overviews = try await client.workerOverviews()
        if json { return try JSONOutput.print(.array(overviews.map { JobJSON.object($0, now: now) })) }
        var rows = [["NAME", "STATE", "QUEUES", "CURRENT JOB", "OK", "FAILED", "WORKING", "UTIL", "BIRTH", "HEARTBEAT"]]
        for overview in overviews {
            let worker = overview.record
            let elapsed = overview.currentJobStartedAt.map { String(format: " (%.0fs)", now.timeIntervalSince($0)) } ?? ""
            rows.append([
                worker.name + (overview.isDead(at: now) ? " (DEAD)" : ""), worker.state.rawValue, worker.queues.joined(separator: ","),
                (worker.currentJob?.rawValue ?? "") + elapsed,
                String(worker.successfulJobCount), String(worker.failedJobCount), String(format: "%.1fs", worker.totalWorkingTime),
                String(format: "%.1f%%", worker.utilization(at: now)), String(JobJSON.timestamp(worker.birth).prefix(19)),
                String(format: "%.0fs ago", now.timeIntervalSince(worker.lastHeartbeat)),
            ])
        }
        print(TextTable.render(rows))
    }
}
