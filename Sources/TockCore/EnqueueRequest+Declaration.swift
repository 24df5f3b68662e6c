import Foundation
import TockValues

extension EnqueueRequest {
    /// A run of the job `name`: what the caller says wins; what it leaves out comes from
    /// the job's declaration, if it has one; what that leaves out, from the configuration
    /// (the `default` queue, the queue's timeout, no retries).
    public init(
        _ name: String, declaration: JobDeclaration?, queue: String? = nil, args: [JSONValue] = [],
        kwargs: [String: JSONValue] = [:], id: String? = nil, timeout: Int? = nil, at: Date? = nil,
        retry: RetryPolicy? = nil, origin: String
    ) {
        self.init(
            name: name, queue: queue ?? declaration?.queue ?? "default", args: args, kwargs: kwargs, id: id,
            timeout: timeout ?? declaration?.timeout, at: at, retry: retry ?? declaration?.retry, origin: origin)
    }
}
