import Foundation
import TockCore
import TockValues

/// What a command job gets from its worker: the job as JSON on stdin, and its
/// identity in the environment.
///
/// stdin: one JSON object and a newline, `{"args":[…],"id":"…","kwargs":{…},"name":"…",
/// "queue":"…"}` (keys sorted), then end of file.
///
/// Environment: the base ``CommandEnvironment`` keeps of the worker's own, the
/// declaration's variables, then `TOCK_JOB_ID`, `TOCK_JOB_NAME`, `TOCK_QUEUE` and
/// `TOCK_PROGRESS_FD` (`3`, see ``ProgressLine``).
struct JobPayload: Encodable {
    var id: String
    var name: String
    var args: [JSONValue]
    var kwargs: [String: JSONValue]
    var queue: String

    init(_ job: Job) {
        id = job.id.rawValue
        name = job.name
        args = job.args
        kwargs = job.kwargs
        queue = job.queue
    }

    /// The stdin bytes.
    ///
    /// - Throws: `EncodingError` for a number JSON cannot hold (NaN, infinity).
    func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// What ``CommandEnvironment`` keeps of `inherited`, then `declared` (the job
    /// declaration's `environment:`), then the job's variables.
    func environment(_ inherited: [String: String], declared: [String: String] = [:]) -> [String: String] {
        var environment = CommandEnvironment.base(inherited).merging(declared) { $1 }
        environment["TOCK_JOB_ID"] = id
        environment["TOCK_JOB_NAME"] = name
        environment["TOCK_QUEUE"] = queue
        environment["TOCK_PROGRESS_FD"] = "3"
        return environment
    }
}
