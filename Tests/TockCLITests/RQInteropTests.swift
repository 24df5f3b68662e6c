import Foundation
import Synchronization
import Testing
import TockTestSupport

/// Python RQ 2.12 and Tock on one throwaway Redis, all real processes: `tock`,
/// `example-worker`, `rq worker`, `rq info` and Python code using RQ's API
/// (`Tests/Interop/rqclient.py`). What Tock promises RQ users (RQ's key layout with the
/// JSONSerializer), checked from both sides.
@Suite(.serialized, .enabled(if: RedisServer.isInstalled), .enabled(if: PythonRQ.isAvailable))
final class RQInteropTests: Sendable {
    let server: RedisServer
    let url: String
    /// The started processes' logs; Tock's working directory (no tock.yaml, no schedules/).
    let directory: URL
    /// Processes still to stop when the test ends, however it ends.
    private let children = Mutex<[Process]>([])

    init() async throws {
        server = try await RedisServer()
        url = server.urlString()
        directory = try TockProcess.temporaryDirectory()
    }

    deinit {
        let running = children.withLock { $0 }
        for process in running where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in running { process.waitUntilExit() }
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Scenarios

    @Test func rqWorkerRunsAJobTockEnqueued() async throws {
        let id = try tock(["enqueue", "tockinterop.add", "--args", "[2, 3]", "--queue", "default"])
        #expect(try rqJob(id)["status"] as? String == "queued")
        let worker = try startPython(
            try PythonRQ.rq,
            ["worker", "--url", url, "--serializer", "rq.serializers.JSONSerializer", "--burst", "--name", "rq-interop", "default"],
            log: "rq-worker")
        #expect(await TockProcess.exit(worker, within: .seconds(60)), "rq worker --burst did not exit: \(log("rq-worker"))")
        #expect(worker.terminationStatus == 0, "\(log("rq-worker"))")
        let job = try tockJob(id)
        #expect(job["status"] as? String == "finished", "\(job)\n\(log("rq-worker"))")
        #expect(job["result"] as? Double == 5)
        #expect(job["worker"] as? String == "rq-interop")
    }

    @Test func tockWorkerRunsAJobPythonEnqueued() async throws {
        let jobID = try #require(
            try rqclient(["enqueue", url, "short", "cabs_app.api.takes_a_long_time", "--kwargs", #"{"invoices": 3}"#]) as? String)
        let worker = try startTock(["--queue", "short"], executable: TockProcess.product("example-worker"), log: "example-worker")
        let name = "\(Self.hostname()).\(worker.processIdentifier).1"
        let job = try await poll("Python sees the job finished", log: "example-worker") { try self.rqJob(jobID) } until: {
            $0["status"] as? String == "finished"
        }
        let result = try #require(job["result"] as? [String: Any], "no latest_result(): \(job)")
        #expect(result["type"] as? String == "SUCCESSFUL")
        #expect(result["return_value_repr"] as? String == "{'posted': 3}", "\(result)")
        #expect(job["worker_name"] as? String == name, "\(job)")
        #expect(result["worker_name"] as? String == name, "\(result)")
        // A warm shutdown unregisters the worker: RQ no longer lists it.
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(15)), "example-worker ignored SIGTERM")
        #expect(worker.terminationStatus == 0, "\(log("example-worker"))")
        let info = try rqInfo()
        #expect(info.workers.isEmpty, "\(info.text)")
    }

    @Test func failingTockJobIsFailedInRQWithTockError() async throws {
        let id = try #require(
            try rqclient(["enqueue", url, "default", "tock.fail", "--args", #"["boom: invoice 42 has no customer"]"#]) as? String)
        _ = try startTock(["--queue", "default"], log: "tock-worker")
        let job = try await poll("Python sees the job failed", log: "tock-worker") { try self.rqJob(id) } until: {
            $0["status"] as? String == "failed"
        }
        let result = try #require(job["result"] as? [String: Any], "no latest_result(): \(job)")
        #expect(result["type"] as? String == "FAILED")
        #expect((result["exc_string"] as? String)?.contains("boom: invoice 42 has no customer") == true, "\(result)")
        #expect(try tockJob(id)["error"] as? String == "boom: invoice 42 has no customer")
        #expect(try registries("default")["failed"] as? Int == 1)
    }

    @Test func pickleJobIsRefusedAndTheTockWorkerGoesOn() async throws {
        let pickled = try #require(
            try rqclient(["enqueue", url, "short", "cabs_app.api.takes_a_long_time", "--kwargs", #"{"invoices": 1}"#, "--pickle"])
                as? String)
        let worker = try startTock(["--queue", "short"], log: "tock-worker")
        let job = try await poll("Tock fails the pickle job", log: "tock-worker") { try self.tockJob(pickled) } until: {
            $0["status"] as? String == "failed"
        }
        let error = job["error"] as? String ?? ""
        #expect(error.contains("pickle"), "\(error)")
        #expect(error.contains("JSONSerializer"), "\(error)")
        #expect(worker.isRunning, "the worker stopped: \(log("tock-worker"))")
        // RQ sees the refusal too, and the worker still runs the next (JSON) job.
        #expect(try rqJob(pickled)["status"] as? String == "failed")
        let next = try #require(try rqclient(["enqueue", url, "short", "tock.noop"]) as? String)
        _ = try await poll("the worker runs the next job", log: "tock-worker") { try self.rqJob(next) } until: {
            $0["status"] as? String == "finished"
        }
    }

    @Test func rqDependentsOfJobsATockWorkerEndsAreQueuedAsRQDoes() async throws {
        func enqueue(_ queue: String, _ name: String, _ extra: [String] = []) throws -> String {
            try #require(try rqclient(["enqueue", url, queue, name] + extra) as? String)
        }
        let parent = try enqueue("default", "tock.noop")
        let failing = try enqueue("default", "tock.fail", ["--args", #"["the parent failed"]"#])
        // On another queue; after two parents, one of which fails (allowed); after the failing one (not allowed).
        let afterParent = try enqueue("short", "tock.noop", ["--depends-on", parent])
        let afterBoth = try enqueue("default", "tock.noop", ["--depends-on", "\(parent),\(failing)", "--allow-dependency-failures"])
        let afterFailure = try enqueue("default", "tock.noop", ["--depends-on", failing])
        for id in [afterParent, afterBoth, afterFailure] { #expect(try rqJob(id)["status"] as? String == "deferred") }

        _ = try startTock(["--queue", "default,short"], log: "tock-worker")
        for id in [afterParent, afterBoth] {
            let job = try await poll("the dependent \(id) ran", log: "tock-worker") { try self.rqJob(id) } until: {
                $0["status"] as? String == "finished"
            }
            #expect((job["result"] as? [String: Any])?["type"] as? String == "SUCCESSFUL", "\(job)")
        }
        #expect(try rqJob(afterParent)["origin"] as? String == "short")
        #expect(try rqJob(parent)["status"] as? String == "finished")
        #expect(try rqJob(failing)["status"] as? String == "failed")
        // Its only dependency failed without allow_failure: RQ leaves it deferred, so does Tock.
        try await Task.sleep(for: .seconds(1))
        #expect(try rqJob(afterFailure)["status"] as? String == "deferred")
        #expect(try tockJob(afterFailure)["status"] as? String == "deferred")
    }

    @Test func perJobTTLsSetInPythonAreHonouredByTockWorkers() async throws {
        func enqueue(_ name: String, _ extra: [String] = []) throws -> String {
            try #require(try rqclient(["enqueue", url, "default", name] + extra) as? String)
        }
        let forever = try enqueue("tock.noop", ["--result-ttl", "-1"])
        let day = try enqueue("tock.noop", ["--result-ttl", "86400"])
        let plain = try enqueue("tock.noop")
        let failing = try enqueue("tock.fail", ["--args", #"["no"]"#, "--failure-ttl", "30"])
        // `ttl`: RQ lets Redis expire a job that waited longer; a worker pops its id and skips it.
        let stale = try enqueue("tock.fail", ["--args", #"["a stale job ran"]"#, "--ttl", "1"])
        try await Task.sleep(for: .milliseconds(1500))
        let marker = try enqueue("tock.noop")
        _ = try startTock(["--queue", "default"], log: "tock-worker")
        _ = try await poll("the worker ran them", log: "tock-worker") { try self.rqJob(marker) } until: {
            $0["status"] as? String == "finished"
        }
        #expect(try rqJob(stale)["status"] as? String == "missing")
        #expect(try registries("default")["failed"] as? Int == 1, "only `failing` failed")
        func ttl(_ id: String) throws -> Int { try rqJob(id)["ttl"] as? Int ?? -2 }
        #expect(try rqJob(forever)["status"] as? String == "finished")
        #expect(try ttl(forever) == -1, "result_ttl=-1 keeps the job until deleted")
        #expect((86_000...86_400).contains(try ttl(day)), "result_ttl=86400 wins over the configured 10 minutes")
        #expect((1...600).contains(try ttl(plain)), "no result_ttl: the configured 10 minutes")
        #expect((1...30).contains(try ttl(failing)), "failure_ttl=30")
    }

    @Test func rqStopJobAndKillHorseCommandsStopATockWorkersJob() async throws {
        let first = try #require(try rqclient(["enqueue", url, "default", "tock.sleep", "--args", "[60]"]) as? String)
        let second = try #require(try rqclient(["enqueue", url, "default", "tock.sleep", "--args", "[60]"]) as? String)
        // Heartbeats every second: the worker sees a stop request within about a second.
        let worker = try startTock(["--queue", "default"], environment: ["TOCK_HEARTBEAT_INTERVAL": "1s"], log: "tock-worker")
        let name = "\(Self.hostname()).\(worker.processIdentifier).1"
        _ = try await poll("the first job runs", log: "tock-worker") { try self.rqJob(first) } until: {
            $0["status"] as? String == "started"
        }
        _ = try rqclient(["stop-job", url, first])
        _ = try await poll("send_stop_job_command stopped it", log: "tock-worker") { try self.rqJob(first) } until: {
            $0["status"] as? String == "stopped"
        }
        _ = try await poll("the second job runs", log: "tock-worker") { try self.rqJob(second) } until: {
            $0["status"] as? String == "started"
        }
        _ = try rqclient(["kill-horse", url, name])
        _ = try await poll("send_kill_horse_command stopped the running job", log: "tock-worker") { try self.rqJob(second) } until: {
            $0["status"] as? String == "stopped"
        }
        #expect(try tockJob(second)["error"] as? String == "stopped by an operator")
        #expect(worker.isRunning, "\(log("tock-worker"))")
    }

    @Test func rqInfoListsTockWorkerAndQueuesWhileBusyAndAfter() async throws {
        // `long` is not served: its jobs stay queued and `rq info` must count them.
        for _ in 0..<2 { _ = try tock(["enqueue", "tock.noop", "--queue", "long"]) }
        _ = try tock(["enqueue", "tock.fail", "--args", #"["first"]"#, "--queue", "default"])
        let sleeper = try tock(["enqueue", "tock.sleep", "--args", "[5]", "--queue", "default"])
        let worker = try startTock(["--queue", "default,short"], log: "tock-worker")
        let name = "\(Self.hostname()).\(worker.processIdentifier).1"

        let busy = try await poll("rq info shows \(name) busy", log: "tock-worker") { try self.rqInfo() } until: {
            $0.workers[name]?.state == "busy" && $0.queues["default"]?.executing == 1
        }
        #expect(busy.workers[name]?.queues == ["default", "short"], "\(busy.text)")
        #expect(busy.queues["long"] == .init(queued: 2, executing: 0, finished: 0, failed: 0), "\(busy.text)")
        #expect(busy.queues["default"] == .init(queued: 0, executing: 1, finished: 0, failed: 1), "\(busy.text)")
        #expect(busy.workers.count == 1, "\(busy.text)")
        // RQ's `ip_address`: the worker's address as Redis sees it.
        #expect(busy.addresses[name]?.hasPrefix("127.0.0.1:") == true, "\(busy.text)")
        #expect(try tockJob(sleeper)["status"] as? String == "started")

        let idle = try await poll("rq info shows \(name) idle after the job", log: "tock-worker") { try self.rqInfo() } until: {
            $0.workers[name]?.state == "idle"
        }
        #expect(idle.workers[name] == .init(state: "idle", queues: ["default", "short"], finished: 1, failed: 1), "\(idle.text)")
        #expect(idle.queues["default"] == .init(queued: 0, executing: 0, finished: 1, failed: 1), "\(idle.text)")
        #expect(idle.queues["long"]?.queued == 2, "\(idle.text)")
        #expect(try tockJob(sleeper)["status"] as? String == "finished")
    }

    @Test func killedTockWorkerJobIsAbandonedForTockAndRQ() async throws {
        // Heartbeats every second, declared dead after 3 s; `tock worker` looks for
        // abandoned jobs every heartbeat interval.
        let fast = ["TOCK_HEARTBEAT_INTERVAL": "1s", "TOCK_HEARTBEAT_TIMEOUT": "3s"]
        let plain = try tock(["enqueue", "tock.sleep", "--args", "[30]", "--queue", "default"])
        let retried = try tock(
            ["enqueue", "tock.sleep", "--args", "[30]", "--queue", "default", "--retry", "1", "--retry-intervals", "1h"])
        let victim = try startTock(["--queue", "default", "--concurrency", "2"], environment: fast, log: "victim")
        let victimName = "\(Self.hostname()).\(victim.processIdentifier)"
        let slots = [victimName + ".1", victimName + ".2"]
        // `rq info` lists workers by queue: name both queues, `short` has no job yet.
        let running = try await poll("rq info shows both slots busy", log: "victim") {
            try self.rqInfo(["default", "short"])
        } until: { info in info.queues["default"]?.executing == 2 && slots.allSatisfy { info.workers[$0]?.state == "busy" }
        }
        #expect(running.queues["default"]?.queued == 0, "\(running.text)")
        kill(victim.processIdentifier, SIGKILL)
        await TockProcess.exit(victim)
        // Nobody has noticed yet: RQ still sees them running.
        #expect(try rqJob(plain)["status"] as? String == "started")
        #expect(try registries("default")["started"] as? Int == 2)

        // A surviving worker, on another queue so that it cannot run the retry itself.
        let rescuer = try startTock(["--queue", "short"], environment: fast, log: "rescuer")
        let rescuerName = "\(Self.hostname()).\(rescuer.processIdentifier).1"
        let seen = try await poll("RQ sees the plain job failed", log: "rescuer") { try self.rqJob(plain) } until: {
            $0["status"] as? String == "failed"
        }
        let result = try #require(seen["result"] as? [String: Any], "no latest_result(): \(seen)")
        #expect((result["exc_string"] as? String)?.contains("abandoned") == true, "\(result)")
        let tockPlain = try tockJob(plain)
        #expect(tockPlain["status"] as? String == "failed")
        #expect((tockPlain["error"] as? String)?.contains("abandoned: worker \(victimName)") == true, "\(tockPlain)")

        // The job with a retry left waits for it, the same in both views.
        let retriedJob = try await poll("the retried job is scheduled", log: "rescuer") { try self.rqJob(retried) } until: {
            $0["status"] as? String != "started"
        }
        #expect(retriedJob["status"] as? String == "scheduled", "\(retriedJob)")
        #expect(try tockJob(retried)["status"] as? String == "scheduled")

        let counts = try registries("default")
        #expect(counts["started"] as? Int == 0, "\(counts)")
        #expect(counts["failed"] as? Int == 1, "\(counts)")
        #expect(counts["scheduled"] as? Int == 1, "\(counts)")
        let info = try await poll("rq info drops the dead worker", log: "rescuer") {
            try self.rqInfo(["default", "short"])
        } until: { info in slots.allSatisfy { info.workers[$0] == nil }
        }
        #expect(info.queues["default"] == .init(queued: 0, executing: 0, finished: 0, failed: 1), "\(info.text)")
        #expect(info.workers[rescuerName]?.state == "idle", "\(info.text)")
    }

    // MARK: - Processes

    /// `tock ARGS --backend URL`, which must succeed; its stdout, trimmed.
    private func tock(_ arguments: [String]) throws -> String {
        let output = try TockProcess.run(arguments + ["--backend", url], in: directory)
        guard output.status == 0 else { throw InteropFailure("tock \(arguments.joined(separator: " ")): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `tock jobs show ID --json`.
    private func tockJob(_ id: String) throws -> [String: Any] {
        let text = try tock(["jobs", "show", id, "--json"])
        guard let job = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw InteropFailure("tock jobs show: not a JSON object: \(text)")
        }
        return job
    }

    /// Starts `tock worker` (or, given `executable`, an application's worker) on the test's
    /// Redis, registered for teardown.
    private func startTock(
        _ arguments: [String], executable: URL = TockProcess.binary, environment: [String: String] = [:], log name: String
    ) throws -> Process {
        let prefix = executable == TockProcess.binary ? ["worker"] : []
        let process = try TockProcess.start(
            prefix + arguments + ["--backend", url], executable: executable, in: directory, environment: environment,
            log: logURL(name))
        children.withLock { $0.append(process) }
        return process
    }

    /// Starts a program of the RQ virtualenv, with `tockinterop` importable.
    private func startPython(_ executable: URL, _ arguments: [String], log name: String) throws -> Process {
        let process = try TockProcess.start(
            arguments, executable: executable, in: PythonRQ.interop, environment: PythonRQ.environment, log: logURL(name))
        children.withLock { $0.append(process) }
        return process
    }

    /// `rqclient.py ARGS`: RQ's API, answering in JSON.
    private func rqclient(_ arguments: [String]) throws -> Any {
        let output = try TockProcess.run(
            [PythonRQ.interop.appendingPathComponent("rqclient.py").path] + arguments, executable: try PythonRQ.python(),
            in: PythonRQ.interop, environment: PythonRQ.environment)
        guard output.status == 0 else { throw InteropFailure("rqclient.py \(arguments.joined(separator: " ")): \(output.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8), options: .fragmentsAllowed)
    }

    /// The job as `Job.fetch(id, serializer=JSONSerializer)` sees it, with its `latest_result()`.
    private func rqJob(_ id: String) throws -> [String: Any] {
        guard let job = try rqclient(["job", url, id]) as? [String: Any] else { throw InteropFailure("rqclient job: not an object") }
        return job
    }

    /// RQ's counts of a queue and its registries, without RQ's own cleanup.
    private func registries(_ queue: String) throws -> [String: Any] {
        guard let counts = try rqclient(["registries", url, queue]) as? [String: Any] else {
            throw InteropFailure("rqclient registries: not an object")
        }
        return counts
    }

    /// `rq info --url URL --raw [QUEUE…]`. Without queues RQ takes those of `rq:queues`, and
    /// lists only workers of those queues.
    private func rqInfo(_ queues: [String] = []) throws -> RQInfo {
        let output = try TockProcess.run(
            ["info", "--url", url, "--raw"] + queues, executable: try PythonRQ.rq, in: directory, environment: PythonRQ.environment)
        guard output.status == 0 else { throw InteropFailure("rq info: \(output.stderr)") }
        return RQInfo(output.stdout)
    }

    private func logURL(_ name: String) -> URL { directory.appendingPathComponent("\(name).log") }

    /// The last lines a started process wrote, for failure messages.
    private func log(_ name: String) -> String {
        let text = (try? String(contentsOf: logURL(name), encoding: .utf8)) ?? "(no log)"
        return "--- \(name).log ---\n" + text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
    }

    /// Reads until `condition` holds, for up to `seconds` (workers act asynchronously and
    /// record their state about once a second); returns the value that satisfied it.
    /// On timeout, records the last value read and the process's log, and throws.
    private func poll<T>(
        _ what: String, seconds: Double = 20, log name: String, _ read: () throws -> T, until condition: (T) -> Bool
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last: T?
        while ContinuousClock.now < deadline {
            let value = try read()
            if condition(value) { return value }
            last = value
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("not within \(seconds) s: \(what); last seen: \(last.map { "\($0)" } ?? "nothing")\n\(log(name))")
        throw InteropFailure(what)
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

struct InteropFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What `rq info --raw` prints, a line per queue and per worker:
///
///     queue default 0, 1 executing, 0 finished, 1 failed
///     worker host.123.1 (host  123) busy default, short. jobs: 0 finished, 1 failed
struct RQInfo: CustomStringConvertible {
    struct Queue: Equatable {
        var queued: Int
        var executing: Int
        var finished: Int
        var failed: Int
    }

    struct Worker: Equatable {
        var state: String
        var queues: [String]
        var finished: Int
        var failed: Int
    }

    var queues: [String: Queue] = [:]
    var workers: [String: Worker] = [:]
    /// Each worker's `ip_address` (empty when RQ has none).
    var addresses: [String: String] = [:]
    let text: String
    var description: String { text }

    init(_ text: String) {
        self.text = text
        for line in text.split(separator: "\n") {
            if let match = line.wholeMatch(of: /queue (\S+) (\d+), (\d+) executing, (\d+) finished, (\d+) failed/) {
                queues[String(match.1)] = Queue(
                    queued: Int(match.2)!, executing: Int(match.3)!, finished: Int(match.4)!, failed: Int(match.5)!)
            } else if let match = line.wholeMatch(of: /worker (\S+) \(\S* (\S*) \S*\) (\S+) (.*)\. jobs: (\d+) finished, (\d+) failed/) {
                workers[String(match.1)] = Worker(
                    state: String(match.3), queues: match.4.split(separator: ", ").map(String.init),
                    finished: Int(match.5)!, failed: Int(match.6)!)
                addresses[String(match.1)] = String(match.2)
            }
        }
    }
}

/// A virtualenv made (once, cached under ~/.cache/tock) by one of the `scripts/*-venv`
/// scripts, which print its python, or exit 3 when PyPI cannot be reached.
struct PythonVenv: Sendable {
    enum State: Sendable {
        case python(URL)
        /// The script's exit 3: PyPI cannot be reached, the tests are skipped.
        case pypiUnreachable
        /// Anything else: the tests fail with this.
        case broken(String)
    }

    let script: String
    let state: State

    init(script: String) {
        self.script = script
        let url = TockProcess.packageRoot.appendingPathComponent("scripts/\(script)")
        do {
            let output = try TockProcess.run([], executable: url)
            switch output.status {
            case 0: state = .python(URL(fileURLWithPath: output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            case 3: state = .pypiUnreachable
            default: state = .broken("scripts/\(script) exited \(output.status): \(output.stderr)")
            }
        } catch {
            state = .broken("scripts/\(script) did not run: \(error)")
        }
    }

    /// False only when PyPI is unreachable, said loudly.
    func isAvailable(skipping what: String) -> Bool {
        guard case .pypiUnreachable = state else { return true }
        FileHandle.standardError.write(Data("\n*** scripts/\(script) exit 3 (PyPI unreachable): \(what) SKIPPED ***\n\n".utf8))
        return false
    }

    func python() throws -> URL {
        switch state {
        case .python(let url): return url
        case .pypiUnreachable: throw InteropFailure("PyPI unreachable: no virtualenv from scripts/\(script)")
        case .broken(let reason): throw InteropFailure(reason)
        }
    }

    /// A program installed in the virtualenv (`rq`, `schemathesis`).
    func program(_ name: String) throws -> URL {
        try python().deletingLastPathComponent().appendingPathComponent(name)
    }
}

/// Python with rq==2.12.0, from `scripts/rq-venv`.
enum PythonRQ {
    static let venv = PythonVenv(script: "rq-venv")

    /// False only when PyPI is unreachable, said loudly (once, though every test's trait asks).
    static let isAvailable = venv.isAvailable(skipping: "RQ interoperability tests")

    static func python() throws -> URL { try venv.python() }

    /// The `rq` command next to the virtualenv's python.
    static var rq: URL {
        get throws { try venv.program("rq") }
    }

    /// `Tests/Interop`: `tockinterop.py` (the functions RQ workers run) and `rqclient.py`.
    static let interop = TockProcess.packageRoot.appendingPathComponent("Tests/Interop")

    static let environment = ["PYTHONPATH": interop.path, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"]
}
