import Testing
import TockCore
import TockValues

/// The one rule for a run's queue, timeout and retries: the caller's, else the job's
/// declaration's, else the configuration's.
@Suite struct JobDeclarationTests {
    let declared = JobDeclaration(
        name: "app.send", command: ["/bin/true"], timeout: 2700, queue: "long", retry: RetryPolicy(max: 3, intervals: [10, 60]))

    @Test func theDeclarationFillsWhatTheCallerLeavesOut() {
        let request = EnqueueRequest("app.send", declaration: declared, origin: "cli")
        #expect(request.queue == "long")
        #expect(request.timeout == 2700)
        #expect(request.retry == RetryPolicy(max: 3, intervals: [10, 60]))
    }

    @Test func theCallerWins() {
        let request = EnqueueRequest(
            "app.send", declaration: declared, queue: "short", timeout: 30, retry: RetryPolicy(max: 1), origin: "api")
        #expect(request.queue == "short")
        #expect(request.timeout == 30)
        #expect(request.retry == RetryPolicy(max: 1))
    }

    @Test func withoutADeclarationTheConfigurationDecides() throws {
        let request = EnqueueRequest("app.handler", declaration: nil, origin: "cli")
        #expect(request.queue == "default")
        #expect(request.timeout == nil)
        #expect(request.retry == nil)
        let job = try JobClient(backend: MemoryBackend(), configuration: Configuration(backend: "memory:")).makeJob(request, now: .now)
        #expect(job.timeout == 300)
        #expect(job.retriesLeft == 0)
    }
}
