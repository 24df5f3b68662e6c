import Foundation
import TockValues

/// A batch as JSON, for `tock batch show --json` and `GET /api/v1/batches/ID` alike.
public enum BatchJSON {
    /// How many failed chunks a batch's JSON lists under `errors`.
    public static let errorCount = 5

    /// `{id, name, queue, total, status, sealed, progress, created_at, completed_at,
    /// on_complete, <a count per status>, errors: [{job, error}]}`. `progress` is the
    /// percentage of chunks ended; each of `errors` (failed chunks, newest first) holds
    /// the first line of the chunk's error.
    public static func object(_ status: BatchStatus, failedChunks: [Job] = []) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(status.batch.id), "name": .string(status.batch.name), "queue": .string(status.batch.queue),
            "total": .number(Double(status.batch.total)), "status": .string(status.status.rawValue),
            "sealed": .bool(status.batch.sealed), "progress": .number(status.percentDone),
            "created_at": .string(JobJSON.timestamp(status.batch.createdAt)),
            "completed_at": status.batch.completedAt.map { .string(JobJSON.timestamp($0)) } ?? .null,
            "on_complete": status.batch.onComplete.map(JSONValue.string) ?? .null,
        ]
        for state in JobStatus.allCases { fields[state.rawValue] = .number(Double(status.count(state))) }
        fields["errors"] = .array(
            failedChunks.prefix(errorCount).map { job in
                let firstLine = job.error.map { $0.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }
                return .object(["job": .string(job.id.rawValue), "error": firstLine.map(JSONValue.string) ?? .null])
            })
        return .object(fields)
    }

    /// The batch's JSON with its first failed chunks read from the backend.
    public static func object(_ status: BatchStatus, backend: any TockBackend) async throws -> JSONValue {
        let failed =
            status.count(.failed) > 0
            ? try await backend.jobs(matching: JobFilter(status: .failed, batch: status.batch.id, limit: errorCount)) : []
        return object(status, failedChunks: failed)
    }
}
