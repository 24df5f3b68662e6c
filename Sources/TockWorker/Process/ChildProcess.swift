import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command started without a shell, as the leader of its own process group, with pipes
/// on its fds 0 (stdin), 1 (stdout), 2 (stderr) and 3 (progress).
///
/// Tock spawns with `posix_spawn` itself rather than with swift-subprocess 1.0.2, which
/// the package also depends on, because on Linux swift-subprocess closes every
/// descriptor above 2 in the child (`addclosefrom_np(3)`) and has no hook to add file
/// actions (`preSpawnProcessConfigurator` is Darwin-only), so the progress pipe on fd 3
/// cannot be handed over; and it reaps the child itself, while Tock must kill what is
/// left of the process group *between* the leader's exit and its reaping (until the
/// leader is reaped its pid, which is the group's id, cannot be reused).
final class ChildProcess: Sendable {
    /// The leader's pid, which is also the process group's id.
    let pid: pid_t
    /// The parent's ends of the pipes (non-blocking); the ``OutputPump`` owns and closes them.
    let stdin: Int32
    let stdout: Int32
    let stderr: Int32
    let progress: Int32
    /// Set once the leader is reaped; from then on the group id may name someone else.
    private let reaped = Mutex(false)

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32, progress: Int32) {
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.progress = progress
    }

    /// The signals a child gets back at their default action. A worker run by
    /// swift-service-lifecycle ignores SIGTERM and SIGINT (it watches them with Dispatch),
    /// and ignored signals stay ignored across `exec`: without this a command could not
    /// be stopped with SIGTERM at all.
    private static let defaultedSignals: [Int32] = [
        SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU,
    ]

    /// Starts `arguments[0]` (searched in `PATH` when it has no slash) with `arguments`
    /// and `environment`, in a new process group whose id is its pid, all signals
    /// unblocked, and only descriptors 0–3 open (where the C library can close the rest).
    ///
    /// - Throws: ``SpawnError`` with the failing step and `errno` (`ENOENT` when the
    ///   program does not exist).
    static func spawn(arguments: [String], environment: [String: String]) throws(SpawnError) -> ChildProcess {
        let program = arguments.first ?? ""
        guard !program.isEmpty else { throw SpawnError(program: "''", step: "posix_spawn", code: ENOENT) }
        return try Descriptors.spawnLock.withLock { _ throws(SpawnError) in
            var parentEnds: [Int32] = []
            var childEnds: [Int32] = []
            defer { childEnds.forEach { close($0) } }
            do throws(SpawnError) {
                for index in 0..<4 {
                    let pipe = try Descriptors.makePipe(for: program)
                    // stdin: the child reads; stdout, stderr, progress: the child writes.
                    let (parent, child) = index == 0 ? (pipe.write, pipe.read) : (pipe.read, pipe.write)
                    parentEnds.append(parent)
                    childEnds.append(try Descriptors.moveHigh(child, for: program))
                }
                let pid = try launch(arguments: arguments, environment: environment, childEnds: childEnds)
                parentEnds.forEach(Descriptors.setNonBlocking)
                return ChildProcess(
                    pid: pid, stdin: parentEnds[0], stdout: parentEnds[1], stderr: parentEnds[2],
                    progress: parentEnds[3])
            } catch {
                parentEnds.forEach { close($0) }
                throw error
            }
        }
    }

    private static func launch(arguments: [String], environment: [String: String], childEnds: [Int32])
        throws(SpawnError) -> pid_t
    {
        var actions = blankSpawnActions()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in childEnds.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        Descriptors.closeFrom(Int32(childEnds.count), in: &actions)

        var attributes = blankSpawnAttributes()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for signal in defaultedSignals { sigaddset(&defaulted, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaulted)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(program: arguments[0], step: "posix_spawn", code: result) }
        return pid
    }

    /// Sends `signal` to every process of the group. Does nothing once the leader has
    /// been reaped (what is left of the group was killed then).
    func signalGroup(_ signal: Int32) {
        reaped.withLock { reaped in
            if !reaped { _ = killpg(pid, signal) }
        }
    }

    /// Blocks until the leader exits, SIGKILLs whatever is left of its process group
    /// (a job ends with its process: nothing it started outlives it), then reaps the
    /// leader. Call it on a dedicated thread, never on the cooperative pool.
    func blockingWaitAndReap() -> ExitStatus {
        var info = siginfo_t()
        // WNOWAIT leaves the leader a zombie, which keeps the group id reserved.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else { break }
        }
        return reaped.withLock { reaped in
            _ = killpg(pid, SIGKILL)
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            reaped = true
            return result == pid ? ExitStatus(waitStatus: status) : .unknown(errno)
        }
    }

    /// Starts a thread that waits for the leader's exit (see ``blockingWaitAndReap()``)
    /// and delivers its status.
    func watchExit() -> OneShot<ExitStatus> {
        let exit = OneShot<ExitStatus>()
        let thread = Thread { [self] in exit.deliver(self.blockingWaitAndReap()) }
        thread.name = "tock-wait-\(pid)"
        thread.start()
        return exit
    }
}
