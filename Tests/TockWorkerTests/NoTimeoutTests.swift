import Foundation
import Testing
import TockCore
import TockValues

@testable import TockWorker

/// RQ's `timeout -1` ("no timeout"): the job runs until done, as under RQ's worker — it was
/// killed after 1 s when the worker read it as a timeout of at least 1 s.
@Suite(.timeLimit(.minutes(1)))
struct NoTimeoutTests {
    let harness = Harness()

    /// A job as Python RQ enqueues it with `job_timeout=-1` (Tock's own enqueue always sets one).
    func enqueueWithoutTimeout(_ name: String) async throws -> JobID {
        let job = Job(
            id: .random(), name: name, queue: "default", timeout: Job.noTimeout, createdAt: Date(), enqueuedAt: Date(),
            origin: "rq")
        return try await harness.backend.enqueue([job], maxQueued: [:])[0].job.id
    }

    @Test func aHandlerWithoutTimeoutRunsPastOneSecond() async throws {
        var registry = HandlerRegistry()
        registry.register("app.slow") { _ in
            try await Task.sleep(for: .milliseconds(1_600))
            return "done"
        }
        let id = try await enqueueWithoutTimeout("app.slow")
        try await runBurst(harness.worker(registry: registry, burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .finished, "\(job.error ?? "")")
        #expect(job.result == "done")
    }

    @Test func aCommandWithoutTimeoutRunsPastOneSecond() async throws {
        let id = try await enqueueWithoutTimeout("app.command")
        let worker = harness.worker(commands: ["app.command": ["/bin/sh", "-c", "sleep 1.6; echo 7"]], burst: true)
        try await runBurst(worker)
        let job = try await harness.job(id)
        #expect(job.status == .finished, "\(job.error ?? "")")
        #expect(job.result == 7)
    }
}
