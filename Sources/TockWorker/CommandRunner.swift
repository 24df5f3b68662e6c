import Foundation
import TockCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs command jobs, the ones declared under `jobs:` in schedule files.
///
/// The command is started without a shell (its `argv` as declared), as the leader of its
/// own process group, with:
/// - on stdin, the job as JSON: `{"args":[…],"id":"…","kwargs":{…},"name":"…","queue":"…"}`
///   and a newline, then end of file;
/// - in its environment, a minimal base from the worker's (``CommandEnvironment``: `PATH`,
///   `HOME`, `LANG`, `TZ`…, never `TOCK_*` settings or systemd's variables), what the
///   declaration sets, and `TOCK_JOB_ID`, `TOCK_JOB_NAME`, `TOCK_QUEUE`, `TOCK_PROGRESS_FD=3`;
/// - on fd 3, the progress channel: lines `PERCENT [MESSAGE]`, e.g. `42 importing invoices`
///   (see ``ProgressLine``).
///
/// Exit 0 finishes the job with stdout as its result (JSON when it is JSON, else text);
/// another status fails it with the tail of stderr; a signal fails it with
/// `killed by signal N`. When the process exits, whatever it left running in its process
/// group is killed: a job ends with its process.
///
/// Past the job's timeout, or when the calling task is cancelled, the whole process group
/// gets SIGTERM, then SIGKILL after ``gracePeriod``; a timeout fails the job with exactly
/// `timed out after N s`.
public struct CommandRunner: Sendable {
    /// How long a process group may run on after SIGTERM before it gets SIGKILL
    /// (default 10 s).
    public var gracePeriod: Duration
    /// How many bytes of stdout are kept, the last ones (default 64 KiB). stderr keeps at
    /// most ``TockCore/Job/maximumErrorLength`` bytes, or this if it is smaller.
    public var outputLimit: Int
    /// The environment commands inherit from (default: the worker's own); only what
    /// ``CommandEnvironment/base(_:)`` keeps of it reaches a command.
    public var environment: [String: String]
    /// After the process exited and its group was killed, how long to wait for its output
    /// pipes to close (a descendant that left the group may hold them) before keeping
    /// what was read (default 2 s).
    public var drainTimeout: Duration

    /// A runner; see the properties for what each value means.
    public init(
        gracePeriod: Duration = .seconds(10), outputLimit: Int = 64 * 1024,
        environment: [String: String] = ProcessInfo.processInfo.environment, drainTimeout: Duration = .seconds(2)
    ) {
        self.gracePeriod = gracePeriod
        self.outputLimit = max(0, outputLimit)
        self.environment = environment
        self.drainTimeout = drainTimeout
    }

    /// Runs `command` for `job` and waits for it to end (never longer than the job's
    /// timeout plus the grace period, plus the drain timeout).
    ///
    /// - Parameters:
    ///   - job: The job: its JSON goes to stdin, its `timeout` bounds the run.
    ///   - command: The program and its arguments; a program without `/` is searched in
    ///     the worker's `PATH`.
    ///   - environment: Variables the job's declaration sets, over the base
    ///     (``CommandEnvironment``) and under the job's own `TOCK_JOB_*`.
    ///   - progress: Called with each progress report, in order, one at a time; reports
    ///     that arrive while it runs are skipped except the newest.
    /// - Returns: How it ended and the tails of its output. Cancelling the calling task
    ///   stops the process group and returns ``CommandResult/Termination/cancelled``.
    public func run(
        _ job: Job, command: [String], environment declared: [String: String] = [:], progress: @escaping @Sendable (JobProgress) async -> Void
    ) async -> CommandResult {
        var result = CommandResult(
            termination: .cancelled, output: "", outputTruncated: false, errorOutput: "", rejectedProgressLines: 0,
            timeout: job.timeLimit ?? Job.noTimeout)
        let payload = JobPayload(job)
        let input: [UInt8]
        let pump: OutputPump
        let child: ChildProcess
        do {
            input = try payload.json()
        } catch {
            result.termination = .notStarted("could not encode the job as JSON: \(error)", retryable: false)
            return result
        }
        do throws(SpawnError) {
            pump = try OutputPump()
            child = try ChildProcess.spawn(arguments: command, environment: payload.environment(environment, declared: declared))
        } catch {
            result.termination = .notStarted(error.description, retryable: !error.isPermanent)
            return result
        }
        let exit = child.watchExit()
        let (reports, reporter) = AsyncStream.makeStream(of: JobProgress.self, bufferingPolicy: .bufferingNewest(1))
        pump.start(
            child, input: input, stdoutLimit: outputLimit, stderrLimit: min(outputLimit, Job.maximumErrorLength),
            progress: reporter)

        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await report in reports { await progress(report) }
            }
            result.termination = await supervise(child, exit: exit, timeout: result.timeout)
            let captured = await drain(pump)
            await group.waitForAll()
            result.output = captured.stdout.text
            result.outputTruncated = captured.stdout.truncated
            result.errorOutput = captured.stderr.text
            result.rejectedProgressLines = captured.rejectedProgressLines
            return result
        }
    }

    /// Waits for the exit; past `timeout` seconds (none when below 1) or on cancellation,
    /// SIGTERM to the group, then SIGKILL after the grace period.
    private func supervise(_ child: ChildProcess, exit: OneShot<ExitStatus>, timeout: Int) async
        -> CommandResult.Termination
    {
        let deadline = timeout > 0 ? ContinuousClock.now + .seconds(timeout) : nil
        if let status = await exit.wait(until: deadline, cancellable: true) {
            return Self.termination(status)
        }
        let reason: CommandResult.Termination = Task.isCancelled ? .cancelled : .timedOut
        child.signalGroup(SIGTERM)
        if await exit.wait(until: .now + gracePeriod) == nil {
            child.signalGroup(SIGKILL)
            _ = await exit.wait()
        }
        return reason
    }

    private func drain(_ pump: OutputPump) async -> CapturedOutput {
        if let captured = await pump.output.wait(until: .now + drainTimeout) { return captured }
        pump.stop()
        let empty = CapturedOutput(stdout: OutputTail(limit: 0), stderr: OutputTail(limit: 0), rejectedProgressLines: 0)
        return await pump.output.wait() ?? empty
    }

    private static func termination(_ status: ExitStatus) -> CommandResult.Termination {
        switch status {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        case .unknown(let code): .unknown(code)
        }
    }
}
