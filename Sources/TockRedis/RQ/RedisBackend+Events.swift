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
            func text(_ field: String) -> String? { fields[field].map { String(decoding: $0, as: UTF8.self) } }
            guard let job = text("job"), let queue = text("queue"), let status = text("status").flatMap(JobStatus.init(rawValue:)),
                let at = text("at").flatMap(RQTime.date)
            else { return nil }
            var progress: JobProgress?
            if let json = text("progress"), let value = try? JSONParser.parse(json), let percent = value["percent"]?.numberValue {
                progress = JobProgress(percent: percent, message: value["message"]?.stringValue)
            }
            return JobEvent(
                cursor: cursor, job: JobID(unchecked: job), queue: queue, status: status, progress: progress, batch: text("batch"), at: at)
        }
    }
}
