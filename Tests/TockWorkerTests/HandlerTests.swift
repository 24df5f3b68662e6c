import Foundation
import Testing
import TockCore
import TockValues

@testable import TockWorker

@Suite(.timeLimit(.minutes(1)))
struct HandlerTests {
    let harness = Harness()

    @Test func handlerResultFinishesTheJob() async throws {
        var registry = HandlerRegistry()
        registry.register("app.add") { context in
            let numbers = context.args.compactMap(\.numberValue)
            return ["sum": .number(numbers.reduce(0, +)), "queue": .string(context.queue)]
        }
        let id = try await harness.enqueue("app.add", args: [2, 3])
        try await runBurst(harness.worker(registry: registry, burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .finished)
        #expect(job.result == ["sum": 5, "queue": "default"])
        #expect(job.worker == "w.1")
    }

    @Test func thrownErrorFailsTheJobWithItsMessage() async throws {
        var registry = HandlerRegistry()
        registry.register("app.fail") { _ in throw JobFailure("invoice 7 is malformed") }
        let id = try await harness.enqueue("app.fail")
        try await runBurst(harness.worker(registry: registry, burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .failed)
        #expect(job.error == "invoice 7 is malformed")
    }

    @Test func failedHandlerIsRetriedAfterItsInterval() async throws {
        let attempts = Shared(0)
        var registry = HandlerRegistry()
        registry.register("app.flaky") { _ in
            if attempts.update({
                $0 += 1
                return $0
            }) == 1 {
                throw JobFailure("first attempt fails")
            }
            return "second attempt"
        }
        let id = try await harness.enqueue("app.flaky", retry: RetryPolicy(max: 2, intervals: [1]))
        let started = ContinuousClock.now
        try await withRunningWorker(harness.worker(registry: registry)) { _ in
            let failedOnce = try await harness.waitForJob(id) { $0.status == .scheduled }
            #expect(failedOnce.error == "first attempt fails")
            #expect(failedOnce.retriesLeft == 1)
            try await harness.waitForJob(id) { $0.status == .finished }
        }
        let job = try await harness.job(id)
        #expect(job.result == "second attempt")
        #expect(attempts.get() == 2)
        #expect(job.retriesLeft == 1)
        #expect(started.duration(to: .now) >= .seconds(1))
    }

    @Test func nonRetryableFailureIgnoresRetriesLeft() async throws {
        var registry = HandlerRegistry()
        registry.register("app.bad") { _ in throw JobFailure("bad input", retryable: false) }
        let id = try await harness.enqueue("app.bad", retry: RetryPolicy(max: 3))
        try await runBurst(harness.worker(registry: registry, burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .failed)
        #expect(job.retriesLeft == 3)
    }

    @Test func progressIsRecordedWhileTheJobRuns() async throws {
        var registry = HandlerRegistry()
        registry.register("app.import") { context in
            try await context.reportProgress(50, "half way")
            try await context.reportProgress(140)
            return nil
        }
        let id = try await harness.enqueue("app.import")
        try await runBurst(harness.worker(registry: registry, burst: true))
        let events = try await harness.backend.events(after: 0, limit: 100).filter { $0.job == id }
        let reports = events.filter { $0.status == .started }.compactMap(\.progress)
        #expect(reports == [JobProgress(percent: 50, message: "half way"), JobProgress(percent: 100)])
        #expect(try await harness.job(id).status == .finished)
    }

    @Test func unknownNameFailsAtOnceWithoutRetry() async throws {
        var registry = HandlerRegistry()
        registry.register("app.known") { _ in nil }
        let id = try await harness.enqueue("nobody.knows", retry: RetryPolicy(max: 3))
        try await runBurst(harness.worker(registry: registry, commands: ["other.command": ["/bin/true"]], burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .failed)
        #expect(job.error == "no handler for job 'nobody.knows' on worker w.1")
        #expect(job.retriesLeft == 3)
    }

    @Test func handlerPastItsTimeoutIsCancelledAndFailed() async throws {
        let sawCancellation = Shared(false)
        var registry = HandlerRegistry()
        registry.register("app.slow") { _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                sawCancellation.update { $0 = true }
                throw error
            }
            return nil
        }
        let id = try await harness.enqueue("app.slow", timeout: 1)
        let started = ContinuousClock.now
        try await runBurst(harness.worker(registry: registry, burst: true))
        let job = try await harness.job(id)
        #expect(job.status == .failed)
        #expect(job.error == "timed out after 1 s")
        #expect(sawCancellation.get())
        #expect(started.duration(to: .now) < .seconds(4))
    }

    @Test func handlerIgnoringCancellationFailsTheJobAndTheWorker() async throws {
        var registry = HandlerRegistry()
        registry.register("app.stubborn") { _ in
            await sleepIgnoringCancellation(4)
            return "too late"
        }
        let id = try await harness.enqueue("app.stubborn", timeout: 1)
        let started = ContinuousClock.now
        let worker = harness.worker(registry: registry, burst: true, gracePeriod: .milliseconds(300))
        let error = await #expect(throws: WorkerError.self) { try await worker.run() }
        #expect(error?.code == .unresponsiveHandler)
        #expect(error?.job == id)
        #expect(started.duration(to: .now) < .seconds(3))
        let job = try await harness.job(id)
        #expect(job.status == .failed)
        #expect(job.error == "timed out after 1 s")
        #expect(try await harness.backend.workers().isEmpty)
    }
}
