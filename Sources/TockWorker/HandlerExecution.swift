import TockValues

/// Running one Swift handler under the job's timeout.
struct HandlerExecution: Sendable {
    /// How the run ended, and whether the handler was still running after its grace period.
    struct Run: Sendable {
        var end: RunEnd
        /// The handler ignored cancellation past the grace period; it is still running.
        var unresponsive: Bool
    }

    let handler: HandlerRegistry.Handler
    let context: JobContext
    let gracePeriod: Duration

    /// Runs the handler; past the job's timeout (if it has one), or when the calling task is cancelled,
    /// cancels it and waits up to the grace period for it to end.
    ///
    /// The handler runs on a detached task, the one unstructured task of the worker, on
    /// purpose: a handler that ignores cancellation must not hold the worker hostage (a
    /// child task would — its group waits for it). When it does not end in time it is
    /// left running, reported `unresponsive`, and the worker exits, which ends it.
    func run() async -> Run {
        let ended = OneShot<Result<JSONValue, any Error>>()
        let handler = handler
        let context = context
        let task = Task.detached {
            do {
                ended.deliver(.success(try await handler(context)))
            } catch {
                ended.deliver(.failure(error))
            }
        }
        // No time limit (RQ's `-1`): the wait ends only at the result or a cancellation.
        let limit = context.timeout > 0 ? context.timeout : nil
        if let result = await ended.wait(until: limit.map { .now + .seconds($0) }, cancellable: true) {
            return Run(end: Self.end(result), unresponsive: false)
        }
        let end: RunEnd = if let limit, !Task.isCancelled { .timedOut(limit) } else { .cancelled }
        task.cancel()
        let stopped = await ended.wait(until: .now + gracePeriod) != nil
        return Run(end: end, unresponsive: !stopped)
    }

    private static func end(_ result: Result<JSONValue, any Error>) -> RunEnd {
        switch result {
        case .success(let value):
            .finished(value)
        case .failure(let failure as JobFailure):
            .failed(failure.message, retryable: failure.retryable)
        case .failure(let error):
            .failed(String(describing: error), retryable: true)
        }
    }
}
