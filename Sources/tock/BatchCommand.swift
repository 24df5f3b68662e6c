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
        let values = try Self.readItems(items)
        let batch = try await client.enqueueBatch(name: name, items: values, chunkSize: chunkSize, queue: queue, onComplete: onComplete, id: id)
        if json {
            try JSONOutput.print(BatchShowCommand.object(BatchStatus(batch: batch, counts: [.queued: batch.total])))
        } else {
            print(batch.id)
        }
        guard wait else { return }
        while true {
            guard let status = try await client.backend.batch(batch.id) else { throw TockError.invalidArgument("batch \(batch.id) vanished") }
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(BatchShowCommand.line(status))".utf8))
            if status.hasEnded {
                FileHandle.standardError.write(Data("\n".utf8))
                if status.status != .finished { throw ExitCode(1) }
                return
            }
            await client.backend.waitForChange(timeout: .milliseconds(500))
        }
    }

    static func readItems(_ path: String) throws -> [JSONValue] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read --items \(path): \(error.localizedDescription)")
        }
        var values: [JSONValue] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do {
                values.append(try JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)))
            } catch {
                throw ValidationError("\(path):\(number + 1): not a JSON value; --items takes one JSON value per line")
            }
        }
        return values
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
        if json { return try JSONOutput.print(Self.object(status)) }
        print(Self.line(status))
    }

    static func object(_ status: BatchStatus) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(status.batch.id), "name": .string(status.batch.name), "queue": .string(status.batch.queue),
            "total": .number(Double(status.batch.total)), "status": .string(status.status.rawValue),
            "created_at": .string(JobJSON.timestamp(status.batch.createdAt)),
            "completed_at": status.batch.completedAt.map { .string(JobJSON.timestamp($0)) } ?? .null,
            "on_complete": status.batch.onComplete.map(JSONValue.string) ?? .null,
        ]
        for state in JobStatus.allCases { fields[state.rawValue] = .number(Double(status.count(state))) }
        return .object(fields)
    }

    static func line(_ status: BatchStatus) -> String {
        "\(status.batch.id) \(status.status): \(status.batch.total) chunks, \(status.count(.queued)) queued, "
            + "\(status.count(.started)) started, \(status.count(.finished)) finished, \(status.count(.failed)) failed"
    }
}
