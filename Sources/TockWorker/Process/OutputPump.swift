import Foundation
import Synchronization
import TockCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command wrote: the bounded tails of stdout and stderr.
struct CapturedOutput: Sendable, Hashable {
    var stdout: OutputTail
    var stderr: OutputTail
    /// Lines on the progress channel that did not follow ``ProgressLine``.
    var rejectedProgressLines: Int
}

/// Moves a command's bytes on a dedicated thread: writes the job to its stdin, keeps the
/// tails of stdout and stderr, and turns progress lines into reports. One `poll` loop
/// over all pipes, so a command that fills one pipe while Tock waits on another cannot
/// deadlock, and a command that never reads its stdin cannot block the worker.
final class OutputPump: Sendable {
    /// Delivered when every output pipe is at end of file, or when ``stop()`` was called.
    let output = OneShot<CapturedOutput>()
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private enum Phase { case ready, running, finished }
    private let phase = Mutex(Phase.ready)

    /// A pump, ready to ``start(_:input:stdoutLimit:stderrLimit:progress:)``. Made
    /// before the child is spawned, so that nothing can fail after it is.
    init() throws(SpawnError) {
        let wake = try Descriptors.makePipe(for: "output pump")
        wakeRead = wake.read
        wakeWrite = wake.write
    }

    deinit {
        // Never started (the spawn failed): the wake pipe is still ours to close.
        if phase.withLock({ $0 == .ready }) {
            close(wakeRead)
            close(wakeWrite)
        }
    }

    /// Starts pumping `child`'s pipes on a thread of its own; closes them when it ends.
    ///
    /// - Parameters:
    ///   - input: Written to the child's stdin, which is then closed. A child that exits
    ///     or closes stdin early just does not get the rest (`EPIPE` is expected here).
    ///   - stdoutLimit: Bytes of stdout kept (the last ones).
    ///   - stderrLimit: Bytes of stderr kept (the last ones).
    ///   - progress: Receives each report; finished when the pump ends.
    func start(
        _ child: ChildProcess, input: [UInt8], stdoutLimit: Int, stderrLimit: Int,
        progress: AsyncStream<JobProgress>.Continuation
    ) {
        phase.withLock { $0 = .running }
        let thread = Thread { [self] in
            let captured = run(child, input: input, limits: (stdoutLimit, stderrLimit), progress: progress)
            progress.finish()
            output.deliver(captured)
        }
        thread.name = "tock-output-\(child.pid)"
        thread.start()
    }

    /// Ends the pump now, with what it has read so far (used when output pipes stay open
    /// after the process group is gone: a descendant that left the group holds them).
    func stop() {
        phase.withLock { phase in
            guard phase == .running else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func run(
        _ child: ChildProcess, input: [UInt8], limits: (stdout: Int, stderr: Int),
        progress: AsyncStream<JobProgress>.Continuation
    ) -> CapturedOutput {
        // A write to a pipe whose reader is gone raises SIGPIPE in the writing thread;
        // blocked here, the write fails with EPIPE instead of killing the worker.
        var sigpipe = sigset_t()
        sigemptyset(&sigpipe)
        sigaddset(&sigpipe, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &sigpipe, nil)

        var state = PumpState(child: child, input: input, limits: limits)
        while state.isOpen {
            var fds = state.pollDescriptors + [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds.last?.revents ?? 0 != 0 { break }
            for entry in fds.dropLast() where entry.revents != 0 {
                for report in state.service(entry.fd) { progress.yield(report) }
            }
        }
        for report in state.finish() { progress.yield(report) }
        close(wakeRead)
        phase.withLock { phase in
            phase = .finished
            close(wakeWrite)
        }
        return state.captured
    }
}
