import Foundation
import TockCore
import TockValues

extension RedisBackend: JobEventLog {
    /// Events from the stream `rq:tock:events`, whose entry ids are `<cursor>-0`.
    public func events(after cursor: Int64, limit: Int) async throws -> [JobEvent] {
        guard limit > 0 else { return [] }
        let reply = try await send([
            "XRANGE", RedisArgument(keys.events), RedisArgument("\(cursor + 1)-0"), "+", "COUNT", RedisArgument(limit),
        ])
        return (reply.array ?? []).compactMap { entry in
            guard let parts = entry.array, parts.count == 2, let id = parts[0].string,
                let cursor = Int64(id.split(separator: "-").first ?? "")
            else { return nil }
            let fields = parts[1].hash
            guard let job = fields.text("job"), let queue = fields.text("queue"), let status = fields.text("status").flatMap(JobStatus.init(rawValue:)),
                let at = fields.text("at").flatMap(RQTime.date)
            else { return nil }
            let progress = fields.text("progress").flatMap { try? JSONParser.parse($0) }.flatMap(JobProgress.init(json:))
            return JobEvent(
                cursor: cursor, job: JobID(unchecked: job), queue: queue, status: status, progress: progress, batch: fields.text("batch"), at: at)
        }
    }

    /// The counter `rq:tock:events:cursor` the scripts increment for every event: the
    /// stream itself is trimmed, the counter never goes back.
    public func newestEventCursor() async throws -> Int64 {
        try await send(["GET", RedisArgument(keys.eventCounter)]).integer ?? 0
    }
}
