import Foundation
import Testing
import TockCore
import TockValues

@testable import TockWorker

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(1)))
struct CommandTests {
    let harness = Harness()

    /// Runs one command job to its end with a burst worker; returns the job.
    private func run(
        _ command: [String], kwargs: [String: JSONValue] = [:], timeout: Int? = nil, retry: RetryPolicy? = nil,
        outputLimit: Int = 64 * 1024
    ) async throws -> Job {
        let id = try await harness.enqueue(
            "app.command", queue: "short", args: [1, "two"], kwargs: kwargs, timeout: timeout, retry: retry)
        let worker = harness.worker(
            queues: ["short"], commands: ["app.command": command], burst: true, outputLimit: outputLimit)
        try await runBurst(worker)
        return try await harness.job(id)
    }

    @Test func jobArrivesAsJSONOnStdin() async throws {
        let job = try await run(["/bin/cat"], kwargs: ["region": "eu"])
        #expect(job.status == .finished)
        #expect(
            job.result
                == [
                    "id": .string(job.id.rawValue), "name": "app.command", "args": [1, "two"],
                    "kwargs": ["region": "eu"], "queue": "short",
                ])
    }

    @Test func environmentNamesTheJob() async throws {
        let job = try await run([
            "/bin/sh", "-c", #"printf '%s|%s|%s|%s' "$TOCK_JOB_ID" "$TOCK_JOB_NAME" "$TOCK_QUEUE" "$TOCK_PROGRESS_FD""#,
        ])
        #expect(job.result == .string("\(job.id)|app.command|short|3"))
    }

    @Test func argumentsReachTheProgramWithoutAShell() async throws {
        let job = try await run(["/bin/echo", "$HOME; echo injected"])
        #expect(job.result == "$HOME; echo injected")
    }

    @Test func nonZeroExitFailsWithTheTailOfStderr() async throws {
        let job = try await run(["/bin/sh", "-c", "echo partial; echo 'invoice 7 is malformed' >&2; exit 3"])
        #expect(job.status == .failed)
        #expect(job.error == "invoice 7 is malformed")
    }

    @Test func nonZeroExitWithoutStderrSaysTheStatus() async throws {
        let job = try await run(["/bin/sh", "-c", "exit 4"])
        #expect(job.error == "exited with status 4")
    }

    @Test func deathBySignalFails() async throws {
        let job = try await run(["/bin/sh", "-c", "kill -KILL $$"])
        #expect(job.status == .failed)
        #expect(job.error == "killed by signal 9")
    }

    @Test func stdoutIsBoundedToItsTail() async throws {
        let job = try await run(
            ["/bin/sh", "-c", #"head -c 200000 /dev/zero | tr '\000' x; printf END"#], outputLimit: 1024)
        #expect(job.status == .finished)
        let text = try #require(job.result?.stringValue)
        #expect(text.utf8.count == 1024)
        #expect(text.hasSuffix("xxxEND"))
    }

    @Test func aFullTailOfStdoutStillFitsTheResultBound() async throws {
        let job = try await run([
            "/bin/sh", "-c", #"head -c 200000 /dev/zero | tr '\000' '"'; printf END"#,
        ])
        let text = try #require(job.result?.stringValue)
        let encoded = try JSONEncoder().encode(JSONValue.string(text))
        #expect(encoded.count <= Job.maximumResultBytes)
        #expect(text.utf8.count > 30_000)
        #expect(text.hasSuffix("\"\"END"))
    }

    @Test func stderrIsBoundedToItsTail() async throws {
        let job = try await run(
            ["/bin/sh", "-c", #"head -c 100000 /dev/zero | tr '\000' e >&2; echo ' END' >&2; exit 1"#],
            outputLimit: 1024)
        let error = try #require(job.error)
        #expect(error.utf8.count <= 1024)
        #expect(error.hasSuffix("eee END"))
    }

    @Test func commandThatNeverReadsALargeStdinStillEnds() async throws {
        let big = JSONValue.string(String(repeating: "a", count: 300_000))
        let job = try await run(["/bin/true"], kwargs: ["big": big])
        #expect(job.status == .finished)
        #expect(job.result == nil)
    }

    @Test func missingProgramFailsWithoutRetry() async throws {
        let job = try await run(["/nonexistent/tock-test-program"], retry: RetryPolicy(max: 2))
        #expect(job.status == .failed)
        #expect(job.error == "could not start /nonexistent/tock-test-program: No such file or directory")
        #expect(job.retriesLeft == 2)
    }

    @Test func progressIsReportedWhileTheCommandRuns() async throws {
        let id = try await harness.enqueue("app.import")
        let worker = harness.worker(
            commands: [
                "app.import": ["/bin/sh", "-c", "echo 'not progress' >&3; echo '42 importing invoices' >&3; sleep 2"]
            ],
            burst: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await runBurst(worker) }
            let running = try await harness.waitForJob(id) { $0.progress != nil }
            #expect(running.status == .started)
            #expect(running.progress == JobProgress(percent: 42, message: "importing invoices"))
            try await group.waitForAll()
        }
        #expect(try await harness.job(id).status == .finished)
    }

    @Test func timeoutKillsTheWholeProcessGroupEvenIfItIgnoresSIGTERM() async throws {
        let pidFile = temporaryPath("grandchild.pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let script = #"trap '' TERM; sleep 60 & echo $! > "$1"; wait; wait"#
        let started = ContinuousClock.now
        let job = try await run(["/bin/sh", "-c", script, "sh", pidFile], timeout: 1)
        let elapsed = started.duration(to: .now)
        #expect(job.status == .failed)
        #expect(job.error == "timed out after 1 s")
        // timeout 1 s + grace 0.5 s, with room for a loaded machine; the command itself would run 60 s.
        #expect(elapsed >= .seconds(1.5))
        #expect(elapsed < .seconds(5))
        let grandchild = try await pid(writtenTo: pidFile)
        try await waitUntil("the grandchild \(grandchild) to die", within: .seconds(2)) { isGone(grandchild) }
    }

    @Test func whatACommandLeavesRunningIsKilledWhenItExits() async throws {
        let pidFile = temporaryPath("leftover.pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let started = ContinuousClock.now
        let job = try await run(["/bin/sh", "-c", #"sleep 60 & echo $! > "$1"; echo done"#, "sh", pidFile])
        #expect(job.status == .finished)
        #expect(job.result == "done")
        #expect(started.duration(to: .now) < .seconds(5))
        let leftover = try await pid(writtenTo: pidFile)
        try await waitUntil("the leftover \(leftover) to die", within: .seconds(2)) { isGone(leftover) }
    }

    @Test func stopRequestStopsARunningCommand() async throws {
        let pidFile = temporaryPath("stopped.pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let id = try await harness.enqueue("app.long")
        let worker = harness.worker(commands: [
            "app.long": ["/bin/sh", "-c", #"echo $$ > "$1"; exec sleep 60"#, "sh", pidFile]
        ])
        try await withRunningWorker(worker) { _ in
            try await harness.waitForJob(id) { $0.status == .started }
            let process = try await pid(writtenTo: pidFile)
            _ = try await harness.backend.requestStop(id, now: Date())
            // Seen at the next heartbeat (1 s), then SIGTERM.
            let job = try await harness.waitForJob(id, within: .seconds(5)) { $0.status != .started }
            #expect(job.status == .stopped)
            #expect(job.error == "stopped by an operator")
            try await waitUntil("the stopped command to die", within: .seconds(2)) { isGone(process) }
        }
    }

    @Test func commandsStartWithDefaultSignalsEvenWhenTheWorkerIgnoresSIGTERM() async throws {
        // swift-service-lifecycle ignores SIGTERM and SIGINT in the worker to watch them;
        // a command must not inherit that, or SIGTERM could never stop it.
        let previousTerm = signal(SIGTERM, SIG_IGN)
        let previousInt = signal(SIGINT, SIG_IGN)
        defer {
            signal(SIGTERM, previousTerm)
            signal(SIGINT, previousInt)
        }
        let job = try await run(["/bin/cat", "/proc/self/status"])
        let status = try #require(job.result?.stringValue)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
        let ignored = try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingWhitespace(), radix: 16))
        #expect(ignored & (1 << (UInt64(SIGTERM) - 1)) == 0)
        #expect(ignored & (1 << (UInt64(SIGINT) - 1)) == 0)
    }

    @Test func commandsRunningSideBySideDoNotHoldEachOthersPipes() async throws {
        let long = try await harness.enqueue("app.long")
        let quick = try await harness.enqueue("app.quick")
        let worker = harness.worker(
            concurrency: 2,
            commands: ["app.long": ["/bin/sleep", "4"], "app.quick": ["/bin/sh", "-c", "sleep 0.3; echo hi"]])
        try await withRunningWorker(worker, shutdown: .cold) { _ in
            try await harness.waitForJob(long) { $0.status == .started }
            let job = try await harness.waitForJob(quick) { $0.status.isTerminal }
            #expect(job.result == "hi")
            // Had the long command inherited the quick one's stdout, the quick job would
            // only end after the 2 s drain timeout.
            #expect(try #require(job.duration) < 1.5)
            #expect(try await harness.job(long).status == .started)
        }
    }
}
