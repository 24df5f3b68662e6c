import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TockCore
import TockValues

@testable import TockWorker

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Logs nothing: the tests assert on the backend's records.
let quiet = Logger(label: "tock.worker.tests", factory: { _ in SwiftLogNoOpLogHandler() })

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A `MemoryBackend`, a configuration with 1 s heartbeats, and short-cuts to enqueue,
/// read and wait for jobs.
struct Harness {
    let backend: any TockBackend = MemoryBackend()
    let configuration = Configuration(backend: "memory:", heartbeatInterval: 1)

    var client: JobClient { JobClient(backend: backend, configuration: configuration) }

    func enqueue(
        _ name: String, queue: String = "default", args: [JSONValue] = [], kwargs: [String: JSONValue] = [:],
        timeout: Int? = nil, retry: RetryPolicy? = nil
    ) async throws -> JobID {
        let request = EnqueueRequest(
            name: name, queue: queue, args: args, kwargs: kwargs, timeout: timeout, retry: retry, origin: "test")
        return try await client.enqueue(request).job.id
    }

    func job(_ id: JobID) async throws -> Job {
        try #require(await backend.job(id))
    }

    /// Polls every 20 ms until `predicate` holds for the job.
    @discardableResult
    func waitForJob(_ id: JobID, within limit: Duration = .seconds(10), _ predicate: (Job) -> Bool) async throws -> Job
    {
        let deadline = ContinuousClock.now + limit
        while true {
            let job = try await job(id)
            if predicate(job) { return job }
            guard ContinuousClock.now < deadline else { throw TestTimeout(what: "job \(id), last \(job.status)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func worker(
        queues: [String] = ["default"], concurrency: Int = 1, registry: HandlerRegistry = HandlerRegistry(),
        commands: [String: [String]] = [:], burst: Bool = false, gracePeriod: Duration = .milliseconds(500),
        outputLimit: Int = 64 * 1024
    ) -> Worker {
        let definitions = Dictionary(
            uniqueKeysWithValues: commands.map { ($0.key, JobDeclaration(name: $0.key, command: $0.value)) })
        return Worker(
            backend: backend, configuration: configuration, queues: queues, concurrency: concurrency, name: "w",
            registry: registry, commands: definitions, burst: burst, logger: quiet,
            options: Worker.Options(
                gracePeriod: gracePeriod, outputLimit: outputLimit, maintenanceInterval: .seconds(1)))
    }
}

/// Polls every 20 ms until `condition` holds.
func waitUntil(_ what: String, within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws
{
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestTimeout(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Runs a burst worker, failing the test if it does not return within `limit`.
func runBurst(_ worker: Worker, within limit: Duration = .seconds(20)) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await worker.run()
            return true
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return false
        }
        let returned = try await group.next() ?? false
        group.cancelAll()
        if !returned { throw TestTimeout(what: "the burst worker to return") }
    }
}

/// How a test ends a worker running in a `ServiceGroup`.
enum Shutdown {
    /// Graceful shutdown (SIGTERM).
    case warm
    /// Cancellation (a second signal).
    case cold
}

/// Runs `worker` in a `ServiceGroup` while `body` runs, then shuts it down as `shutdown`
/// says (a graceful shutdown `body` triggered itself is fine) and waits for it, at most
/// 15 s. Rethrows what the worker threw.
func withRunningWorker(
    _ worker: Worker, shutdown: Shutdown = .warm, _ body: (ServiceGroup) async throws -> Void
) async throws {
    let group = ServiceGroup(services: [worker], logger: quiet)
    let running = Task { try await group.run() }
    do {
        try await body(group)
    } catch {
        running.cancel()
        _ = await running.result
        throw error
    }
    switch shutdown {
    case .warm: await group.triggerGracefulShutdown()
    case .cold: running.cancel()
    }
    let result = try await withThrowingTaskGroup(of: Result<Void, any Error>?.self) { waiting in
        waiting.addTask { await running.result }
        waiting.addTask {
            try await Task.sleep(for: .seconds(15))
            return nil
        }
        let first = try await waiting.next() ?? nil
        waiting.cancelAll()
        return first
    }
    guard let result else {
        running.cancel()
        throw TestTimeout(what: "the worker to shut down")
    }
    switch result {
    case .success, .failure(is CancellationError): break
    case .failure(let error): throw error
    }
}

/// A value shared between a test and its handlers.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func get() -> Value { value.withLock { $0 } }
    @discardableResult
    func update<T: Sendable>(_ body: @Sendable (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}

/// A fresh file path in the temporary directory.
func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tock-\(UUID().uuidString)-\(name)").path
}

/// The pid a command wrote to `path`, once it has.
func pid(writtenTo path: String) async throws -> pid_t {
    var pid: pid_t?
    try await waitUntil("a pid in \(path)", within: .seconds(5)) {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        return pid != nil
    }
    return try #require(pid)
}

/// Whether `pid` is gone (a zombie waiting for a reaper counts as gone).
func isGone(_ pid: pid_t) -> Bool {
    if kill(pid, 0) != 0 { return errno == ESRCH }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let end = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(after: end)...].drop { $0 == " " }.first == "Z"
}

/// Waits without noticing cancellation: what a handler that ignores it does.
func sleepIgnoringCancellation(_ seconds: Double) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
    }
}
