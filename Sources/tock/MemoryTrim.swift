#if canImport(Glibc)
import Glibc
#endif

/// Gives memory freed after a large load back to the system. Parsing a schedule file
/// builds Yams' whole node tree; once the events are made it is freed, but glibc keeps
/// the pages in its arenas, so a scheduler that loaded 100,000 events would go on
/// showing the parse's peak as its resident size. (`malloc_trim` is glibc's; Swift's
/// Glibc module does not include `<malloc.h>`, so it is looked up by name.)
enum MemoryTrim {
    static func returnFreedMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
        #endif
    }
}
