#if canImport(Glibc)
import Glibc
#endif

/// Reads the allocation count of `bench/malloc-count.c` when it is preloaded
/// (`LD_PRELOAD=…/malloc-count.so`); otherwise there is nothing to read.
struct AllocationCounter {
    private let read: @convention(c) () -> UInt

    init?() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "tock_malloc_count") else { return nil }
        read = unsafeBitCast(symbol, to: (@convention(c) () -> UInt).self)
        #else
        return nil
        #endif
    }

    /// Allocations so far on the calling thread (the measurement runs on one thread, so
    /// other threads' allocations stay out of it).
    var count: UInt { read() }
}
