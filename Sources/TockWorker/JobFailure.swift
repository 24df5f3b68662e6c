/// An error a Swift handler throws to fail its job with a message of its choosing, and to
/// say whether retrying can help. Any other error fails the job with its description and
/// is retried when the job has retries left.
public struct JobFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The job's error text.
    public var message: String
    /// `false`: the job fails at once, whatever retries it has left.
    public var retryable: Bool

    /// A failure; see the properties for what each value means.
    public init(_ message: String, retryable: Bool = true) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }
}
