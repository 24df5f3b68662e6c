/// A job an application declares (under `jobs:` in a schedule file): the command a
/// worker runs for its name, and the defaults every run of it gets — its queue, timeout
/// and retries — wherever the run comes from: the scheduler, `tock enqueue`, `tock events
/// run`, the HTTP API. `EnqueueRequest(_:declaration:…)` in `TockCore` is the one place
/// those defaults are applied.
public struct JobDeclaration: Sendable, Hashable {
    /// The name runs are enqueued by (`cabs_app.tasks.send_invoices`).
    public var name: String
    /// The program and its arguments (argv; never passed through a shell). Not empty.
    public var command: [String]
    /// How long one run may take, in seconds; `nil` leaves it to the queue's timeout.
    public var timeout: Int?
    /// The queue runs go to unless the caller names one; `nil`: `default` (or, for an
    /// event, its frequency's queue).
    public var queue: String?
    /// How a failed run is retried; `nil` means it is not.
    public var retry: RetryPolicy?
    /// Variables its command gets on top of the minimal base a worker passes on.
    public var environment: [String: String]

    /// A declaration; see the properties for what each value means.
    public init(
        name: String, command: [String], timeout: Int? = nil, queue: String? = nil, retry: RetryPolicy? = nil,
        environment: [String: String] = [:]
    ) {
        self.name = name
        self.command = command
        self.timeout = timeout
        self.queue = queue
        self.retry = retry
        self.environment = environment
    }
}
