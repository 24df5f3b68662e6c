import TockValues
/// A job an application offers, declared under `jobs:`: what a worker runs, by name.
///
/// ```yaml
/// jobs:
///   cabs_app.tasks.send_invoices:
///     command: ["/opt/cabs/bin/send-invoices"]
///     timeout: 45m
///     queue: long
///     retry: {max: 3, intervals: [30s, 5m]}
///     environment: {INVOICE_DIR: /srv/invoices}
/// ```
public struct JobDefinition: Sendable, Hashable {
    /// The name events refer to (`cabs_app.tasks.send_invoices`); unique across files.
    public var name: String
    /// The program and its arguments (argv; never passed through a shell). Not empty.
    public var command: [String]
    /// How long one run may take, in seconds; `nil` leaves it to the queue's timeout.
    public var timeout: Int?
    /// The queue the job runs on unless an event names one; `nil` leaves it to the
    /// event's frequency (or `default`).
    public var queue: String?
    /// How a failed run is retried; `nil` means it is not.
    public var retry: RetryPolicy?
    /// Variables its command gets on top of the minimal base a worker passes on (names of
    /// letters, digits and `_`, not starting with a digit or `TOCK_`).
    public var environment: [String: String]
    /// Where the job's name is written.
    public var location: FileLocation

    /// A job; see the properties for what each value means.
    public init(
        name: String, command: [String], timeout: Int? = nil, queue: String? = nil,
        retry: RetryPolicy? = nil, environment: [String: String] = [:], location: FileLocation
    ) {
        self.environment = environment
        self.name = name
        self.command = command
        self.timeout = timeout
        self.queue = queue
        self.retry = retry
        self.location = location
    }
}
