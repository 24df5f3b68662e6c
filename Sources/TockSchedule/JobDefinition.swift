import TockValues

/// A job declared under `jobs:`, with where it is written: a ``TockValues/JobDeclaration``
/// (what workers, the scheduler and enqueuers use) plus its place in the file (what the
/// loader reports problems at). Its declaration's fields read through it:
/// `definition.timeout` is `definition.declaration.timeout`.
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
@dynamicMemberLookup
public struct JobDefinition: Sendable, Hashable {
    public var declaration: JobDeclaration
    /// Where the job's name is written.
    public var location: FileLocation

    /// A job; see ``TockValues/JobDeclaration`` for what each value means.
    public init(
        name: String, command: [String], timeout: Int? = nil, queue: String? = nil,
        retry: RetryPolicy? = nil, environment: [String: String] = [:], location: FileLocation
    ) {
        self.declaration = JobDeclaration(
            name: name, command: command, timeout: timeout, queue: queue, retry: retry, environment: environment)
        self.location = location
    }

    public subscript<Value>(dynamicMember field: KeyPath<JobDeclaration, Value>) -> Value {
        declaration[keyPath: field]
    }
}

extension ScheduleSet {
    /// The `jobs:` declarations by name, without where they are written.
    public var declarations: [String: JobDeclaration] { jobs.mapValues(\.declaration) }
}
