#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a command could not be started: the program, the step that failed and `errno`.
struct SpawnError: Error, Sendable, Hashable, CustomStringConvertible {
    var program: String
    var step: String
    var code: Int32

    /// `ENOENT`, `EACCES`, `ENOEXEC`, `ENOTDIR`: the command itself is wrong, and running
    /// the job again will not help until its declaration or the installation is fixed.
    var isPermanent: Bool { [ENOENT, EACCES, ENOEXEC, ENOTDIR, EISDIR].contains(code) }

    var description: String {
        let reason = String(cString: strerror(code))
        return step == "posix_spawn"
            ? "could not start \(program): \(reason)" : "could not start \(program): \(step): \(reason)"
    }
}
