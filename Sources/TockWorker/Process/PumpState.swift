import TockCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pump's pipes and what came through them.
struct PumpState {
    private var stdin: Int32?
    private let input: [UInt8]
    private var written = 0
    /// stdout, stderr, progress; `nil` once at end of file.
    private var outputs: [Int32?]
    private var stdout: OutputTail
    private var stderr: OutputTail
    private var splitter = ProgressLineSplitter()
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(child: ChildProcess, input: [UInt8], limits: (stdout: Int, stderr: Int)) {
        stdin = child.stdin
        self.input = input
        outputs = [child.stdout, child.stderr, child.progress]
        stdout = OutputTail(limit: limits.stdout)
        stderr = OutputTail(limit: limits.stderr)
        if input.isEmpty { closeStdin() }
    }

    /// Until every output pipe is at end of file.
    var isOpen: Bool { outputs.contains { $0 != nil } }

    var pollDescriptors: [pollfd] {
        var fds = outputs.compactMap { $0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if let stdin { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
        return fds
    }

    var captured: CapturedOutput {
        CapturedOutput(stdout: stdout, stderr: stderr, rejectedProgressLines: splitter.rejected)
    }

    /// Reads from or writes to `fd`, which `poll` found ready; returns progress reports.
    mutating func service(_ fd: Int32) -> [JobProgress] {
        if fd == stdin {
            writeInput()
            return []
        }
        guard let index = outputs.firstIndex(of: fd) else { return [] }
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EAGAIN || errno == EINTR { return [] }
        guard count > 0 else {
            close(fd)
            outputs[index] = nil
            return index == 2 ? splitter.finish() : []
        }
        let chunk = buffer[..<count]
        switch index {
        case 0: stdout.append(chunk)
        case 1: stderr.append(chunk)
        default: return splitter.feed(chunk)
        }
        return []
    }

    /// Closes what is still open; returns a last progress line without a newline.
    mutating func finish() -> [JobProgress] {
        closeStdin()
        let last = outputs[2] == nil ? [] : splitter.finish()
        for case let fd? in outputs { close(fd) }
        outputs = [nil, nil, nil]
        return last
    }

    private mutating func writeInput() {
        guard let fd = stdin else { return }
        let count = input.withUnsafeBytes { bytes in
            write(fd, bytes.baseAddress! + written, bytes.count - written)
        }
        if count > 0 {
            written += count
            if written == input.count { closeStdin() }
        } else if count < 0, errno != EAGAIN, errno != EINTR {
            closeStdin()
        }
    }

    private mutating func closeStdin() {
        if let fd = stdin { close(fd) }
        stdin = nil
    }
}
