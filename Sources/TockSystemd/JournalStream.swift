#if canImport(Glibc)
import Glibc
#endif

/// `JOURNAL_STREAM=DEVICE:INODE`: systemd connected this service's stdout/stderr to the
/// journal, and these identify that stream (systemd.exec(5)).
///
/// The variable is inherited by every child process, also those whose stderr was
/// redirected (a command job's stderr is a pipe to its worker), so it is trusted only when
/// stderr really is that stream: ``isStandardError``.
public struct JournalStream: Sendable, Hashable {
    /// `st_dev` of the journal stream.
    public var device: UInt64
    /// `st_ino` of the journal stream.
    public var inode: UInt64

    /// - Parameters:
    ///   - device: `st_dev` of the stream.
    ///   - inode: `st_ino` of the stream.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// Parses `JOURNAL_STREAM`'s value, two decimal numbers separated by `:`; `nil` when
    /// it is not that.
    public init?(_ value: String) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        self.init(device: device, inode: inode)
    }

    /// The stream in `environment["JOURNAL_STREAM"]`, if it is there and well-formed.
    public init?(environment: [String: String]) {
        guard let value = environment["JOURNAL_STREAM"] else { return nil }
        self.init(value)
    }

    /// Whether this process's stderr is this stream.
    public var isStandardError: Bool {
        matches(fileDescriptor: STDERR_FILENO)
    }

    /// Whether an open file descriptor is this stream (same device and inode); `false`
    /// when it is not open.
    public func matches(fileDescriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
