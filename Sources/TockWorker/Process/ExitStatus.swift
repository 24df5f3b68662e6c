#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended, decoded from a `waitpid` status.
enum ExitStatus: Sendable, Hashable {
    /// It called `exit(code)`.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)
    /// Its status could not be read (someone else reaped it); carries the `errno`.
    case unknown(Int32)

    /// Decodes a raw `waitpid` status (the `WIFEXITED` / `WTERMSIG` macros, which Swift
    /// does not import).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }
}
