#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A Linux inotify watch on the directory of a database file that tells whether the
/// file or its write-ahead log (`<file>-wal`) was written, created or closed after
/// writing — what every commit by any process does (a commit appends to the WAL; a
/// checkpoint writes the file). Watching the directory, not the files, survives the WAL
/// being deleted and created again.
///
/// Also holds a pipe its owner writes to to interrupt ``poll(timeoutMilliseconds:)``.
struct DirectoryWatch: Sendable {
    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The file names (in the directory) whose changes count.
    private let names: Set<[UInt8]>

    /// Starts watching; `nil` where inotify is unavailable (not Linux, out of watches).
    init?(databasePath: String) {
        #if canImport(Glibc)
        let resolved = URL(fileURLWithPath: databasePath).resolvingSymlinksInPath()
        let directory = resolved.deletingLastPathComponent().path
        let name = resolved.lastPathComponent
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO)
        var pipeEnds: [Int32] = [-1, -1]
        guard inotify_add_watch(descriptor, directory, mask) >= 0, pipe(&pipeEnds) == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        inotify = descriptor
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        names = [Array(name.utf8), Array((name + "-wal").utf8)]
        #else
        return nil
        #endif
    }

    /// Blocks the calling thread until the watched files change, ``interrupt()`` is
    /// called, or the timeout passes (`-1`: none).
    ///
    /// - Returns: Whether the watched files changed.
    func poll(timeoutMilliseconds: Int32) -> Bool {
        #if canImport(Glibc)
        var descriptors = [
            pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        guard Glibc.poll(&descriptors, 2, timeoutMilliseconds) > 0 else { return false }
        if descriptors[1].revents != 0 { drainWakeups() }
        return descriptors[0].revents != 0 && readEvents()
        #else
        return false
        #endif
    }

    /// Makes a ``poll(timeoutMilliseconds:)`` in progress (or the next one) return.
    func interrupt() {
        #if canImport(Glibc)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        #endif
    }

    /// Closes the descriptors; call once, when no thread polls any more.
    func closeDescriptors() {
        #if canImport(Glibc)
        for descriptor in [inotify, wakeRead, wakeWrite] { _ = Glibc.close(descriptor) }
        #endif
    }

    /// Reads every pending inotify event; whether one concerned the watched names (or the
    /// kernel's queue overflowed, losing some).
    private func readEvents() -> Bool {
        #if canImport(Glibc)
        var relevant = false
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[]; }
                while offset + 16 <= count {
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let name = bytes[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 || names.contains(Array(name)) { relevant = true }
                    offset += 16 + length
                }
            }
        }
        return relevant
        #else
        return false
        #endif
    }

    private func drainWakeups() {
        #if canImport(Glibc)
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
        #endif
    }
}
