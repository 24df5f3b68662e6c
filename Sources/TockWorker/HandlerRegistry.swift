import TockValues

/// The Swift handlers a worker runs, by job name: how an application that embeds Tock
/// builds its own worker executable.
///
/// ```swift
/// var registry = HandlerRegistry()
/// registry.register("cabs_app.api.takes_a_long_time") { context in
///     for (index, invoice) in invoices.enumerated() {
///         try Task.checkCancellation()          // timeouts and stops cancel the handler
///         try await send(invoice)
///         try await context.reportProgress(Double(index + 1) / Double(invoices.count) * 100, "sending")
///     }
///     return ["sent": .number(Double(invoices.count))]
/// }
/// let worker = Worker(backend: backend, configuration: configuration, queues: ["default"],
///                     registry: registry, logger: logger)
/// ```
///
/// A handler runs on a task of its own. Its returned value is the job's result; an error
/// it throws fails the job (retried when it has retries left, unless it is a
/// ``JobFailure`` with `retryable: false`). Past the job's timeout, or when an operator
/// stops the job, the task is cancelled: a handler must end soon after — one still running
/// after the grace period makes the worker fail the job and exit non-zero.
public struct HandlerRegistry: Sendable {
    /// A job's work: gets the job and a way to report progress, returns the result.
    public typealias Handler = @Sendable (JobContext) async throws -> JSONValue

    private var handlers: [String: Handler] = [:]

    /// An empty registry.
    public init() {}

    /// Registers `handler` for jobs named `name`, replacing an earlier registration of
    /// that name.
    ///
    /// - Parameters:
    ///   - name: The job name, as enqueued (`cabs_app.api.takes_a_long_time`).
    ///   - handler: The work; see ``Handler``.
    public mutating func register(_ name: String, _ handler: @escaping Handler) {
        handlers[name] = handler
    }

    /// The handler registered for `name`, if any.
    public func handler(for name: String) -> Handler? {
        handlers[name]
    }

    /// The registered names, sorted.
    public var names: [String] {
        handlers.keys.sorted()
    }
}
