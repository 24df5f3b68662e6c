import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// The systemd journal's native protocol, through `sd_journal_sendv`.
public enum Journal {
    /// Where journald listens; `sd_journal_sendv` always sends here.
    public static let socketPath = "/run/systemd/journal/socket"

    /// Sends one record to journald.
    ///
    /// Fails with `ENOENT` when journald's socket does not exist (a container, a build
    /// sandbox) and with `ECONNREFUSED` when nothing listens on it; nothing is written
    /// anywhere then, and the caller falls back. (libsystemd itself reports success when the
    /// socket is missing and drops the record, so the socket is looked for first: one
    /// `access(2)` per record.)
    /// - Parameter record: The record's fields.
    /// - Returns: The failure, as a value.
    public static func send(_ record: JournalRecord) -> Result<Void, SystemdError> {
        guard access(socketPath, F_OK) == 0 else {
            return .failure(SystemdError(operation: "sd_journal_sendv", code: ENOENT))
        }
        // One buffer for all fields, so the iovecs point into a single allocation that
        // lives for the call.
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(record.fields.count)
        for field in record.fields {
            let start = bytes.count
            bytes.append(contentsOf: field.utf8)
            spans.append((start, bytes.count - start))
        }
        let result = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -EINVAL }
            let vectors = spans.map { iovec(iov_base: base + $0.start, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        return result < 0 ? .failure(SystemdError(operation: "sd_journal_sendv", code: result)) : .success(())
    }
}
