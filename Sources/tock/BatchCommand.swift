import ArgumentParser
import Foundation
import TockCore
import TockValues

/// `tock batch`: run one job name over many items, split into chunk jobs.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Enqueue a batch (one job per chunk of items) or show one.",
        subcommands: [BatchEnqueueCommand.self, BatchShowCommand.self],
        defaultSubcommand: BatchEnqueueCommand.self
    )
}

struct BatchEnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Split --items (JSON lines) into chunks, one job each, enqueued atomically; print the batch id.",
        discussion: "Each chunk job gets kwargs {\"items\": [...]}. With --wait, exits 0 if every chunk finished, 1 otherwise."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job name each chunk runs.") var name: String
    @Option(name: .long, help: ArgumentHelp("A file with one JSON value per line.", valueName: "FILE.jsonl")) var items: String
    @Option(name: .long, help: "Items per chunk job.") var chunkSize: Int
    @Option(name: .long, help: "Queue (default: default).") var queue = "default"
    @Option(name: .long, help: "A job name enqueued once when the batch ends.") var onComplete: String?
    @Option(name: .long, help: "Batch id (default: random).") var id: String?
    @Flag(name: .long, help: "Wait for the batch to end.") var wait = false
    @Flag(name: .long, help: "Print the batch as JSON.") var json = false

    func validate() throws {
        if let onComplete, onComplete.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--on-complete needs a job name, such as app.tasks.report; leave the option out for none")
        }
    }

    func run() async throws {
        let client = try global.client()
        let reader = try ItemsFile(path: items)
        let status: BatchStatus
        switch try await client.openBatch(name: name, chunkSize: chunkSize, queue: queue, onComplete: onComplete, id: id) {
        case .existing(let existing):
            guard existing.batch.sealed else {
                throw TockError.invalidArgument("batch '\(existing.batch.id)' is still being received by another client")
            }
            status = existing
        case .opened(var writer):
            do {
                try await reader.forEachItem { item in try await writer.add(item) }
                status = try await writer.seal()
            } catch {
                await writer.discard()
                throw error
            }
        }
        if json {
            try JSONOutput.print(BatchJSON.object(status))
        } else {
            print(status.batch.id)
        }
        guard wait else { return }
        while true {
            guard let status = try await client.backend.batch(status.batch.id) else {
                throw TockError.invalidArgument("batch \(status.batch.id) vanished")
            }
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(BatchShowCommand.line(status))".utf8))
            if status.hasEnded {
                FileHandle.standardError.write(Data("\n".utf8))
                if status.status != .finished { throw ExitCode(1) }
                return
            }
            await client.backend.waitForChange(timeout: .milliseconds(500))
        }
    }
}

struct BatchShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a batch's progress.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The batch id.") var id: String
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        guard let status = try await client.backend.batch(id) else {
            throw TockError.invalidArgument("no batch with id '\(id)'")
        }
        if json { return try JSONOutput.print(try await BatchJSON.object(status, backend: client.backend)) }
        print(Self.line(status))
    }

    static func line(_ status: BatchStatus) -> String {
        "\(status.batch.id) \(status.status): \(status.batch.total) chunks, \(status.count(.queued)) queued, "
            + "\(status.count(.started)) started, \(status.count(.finished)) finished, \(status.count(.failed)) failed"
    }
}
