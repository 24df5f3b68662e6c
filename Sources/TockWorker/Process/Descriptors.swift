import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `posix_spawn`'s file actions and attributes: opaque pointers on Darwin, structs in glibc.
#if canImport(Darwin)
typealias SpawnActions = posix_spawn_file_actions_t?
typealias SpawnAttributes = posix_spawnattr_t?
func blankSpawnActions() -> SpawnActions { nil }
func blankSpawnAttributes() -> SpawnAttributes { nil }
#else
typealias SpawnActions = posix_spawn_file_actions_t
typealias SpawnAttributes = posix_spawnattr_t
func blankSpawnActions() -> SpawnActions { SpawnActions() }
func blankSpawnAttributes() -> SpawnAttributes { SpawnAttributes() }
#endif

/// Descriptor helpers for spawning: every descriptor Tock opens is close-on-exec from
/// birth, so a command started by another slot at the same moment never inherits the
/// pipes of this one (it would hold them open and this command's output would never end).
enum Descriptors {
    /// Held around creating a command's pipes and spawning it.
    static let spawnLock = Mutex(())

    /// `pipe2(O_CLOEXEC)`, looked up at run time because Swift's Glibc module does not
    /// import GNU extensions. Where it is missing, `pipe` + `fcntl` under a lock that every
    /// spawn of this module also takes, so no spawn of ours sees the gap.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32

    private static let pipe2: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34): closes every descriptor
    /// from a number on in the child. Without it the child relies on close-on-exec alone.
    private static let addCloseFrom: AddCloseFrom? =
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// A pipe whose both ends are close-on-exec.
    static func makePipe(for program: String) throws(SpawnError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result: Int32
        if let pipe2 {
            result = pipe2(&fds, O_CLOEXEC)
        } else {
            result = pipe(&fds)
            if result == 0 {
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            }
        }
        guard result == 0 else { throw SpawnError(program: program, step: "pipe", code: errno) }
        return (fds[0], fds[1])
    }

    /// Moves `fd` to a number ≥ 10 (close-on-exec), so the child's `dup2`s onto 0–3 never
    /// clobber a source that happens to be one of 0–3 (a worker started with a closed stdin).
    static func moveHigh(_ fd: Int32, for program: String) throws(SpawnError) -> Int32 {
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
        let code = errno
        close(fd)
        guard moved >= 0 else { throw SpawnError(program: program, step: "fcntl", code: code) }
        return moved
    }

    /// Makes reads and writes on `fd` return `EAGAIN` instead of blocking.
    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Adds "close every descriptor from `lowest` on" to `actions`, where the C library can.
    static func closeFrom(_ lowest: Int32, in actions: inout SpawnActions) {
        guard let addCloseFrom else { return }
        withUnsafeMutablePointer(to: &actions) { _ = addCloseFrom(UnsafeMutableRawPointer($0), lowest) }
    }
}
