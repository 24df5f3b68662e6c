#if canImport(Glibc)
import Glibc
#endif

/// `CLOCK_MONOTONIC`, the clock systemd's `MONOTONIC_USEC=` is on.
enum MonotonicClock {
    /// Microseconds since boot (not counting suspend), as `CLOCK_MONOTONIC` reads.
    static func microseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }
}
