import Foundation
import TockValues

/// A request to run a job, before configuration fills in what it leaves out.
public struct EnqueueRequest: Sendable, Hashable {
    public var name: String
    public var queue: String
    public var args: [JSONValue]
    public var kwargs: [String: JSONValue]
    /// `nil`: a random id.
    public var id: String?
    /// Seconds; `nil`: the queue's timeout.
    public var timeout: Int?
    /// Run no earlier than this (`--at`, `--in`): the job is `scheduled` until then.
    public var at: Date?
    public var retry: RetryPolicy?
    public var origin: String

    public init(
        name: String, queue: String = "default", args: [JSONValue] = [], kwargs: [String: JSONValue] = [:],
        id: String? = nil, timeout: Int? = nil, at: Date? = nil, retry: RetryPolicy? = nil, origin: String = "cli"
    ) {
        self.name = name
        self.queue = queue
        self.args = args
        self.kwargs = kwargs
        self.id = id
        self.timeout = timeout
        self.at = at
        self.retry = retry
        self.origin = origin
    }
}
