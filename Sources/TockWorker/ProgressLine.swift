import TockCore

/// The progress channel of command jobs: a line-based protocol on file descriptor 3
/// (the command finds the number in `TOCK_PROGRESS_FD`).
///
/// Each line is `PERCENT [MESSAGE]`: a number from 0 to 100 (decimals allowed, an optional
/// `%`, values outside clamped), then optionally whitespace and a free-text message
/// (at most ``Job/maximumMessageLength`` characters kept). For example:
///
/// ```sh
/// echo "42 importing invoices" >&3
/// ```
///
/// ```python
/// progress = os.fdopen(int(os.environ["TOCK_PROGRESS_FD"]), "w", buffering=1)
/// print(42, "importing invoices", file=progress)
/// ```
///
/// Lines that do not start with a number are ignored (and counted, see the worker's log);
/// lines longer than ``maximumLength`` bytes are cut. Reports are written to the backend
/// as they come, newest first: when the command reports faster than the backend records,
/// the intermediate reports are skipped, never the last one.
enum ProgressLine {
    /// Longest line kept, in bytes.
    static let maximumLength = 4096

    /// The progress `line` reports, or `nil` when it does not follow the protocol.
    static func parse(_ line: Substring) -> JobProgress? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let number = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(number.count).trimmingWhitespace()
        let digits = number.hasSuffix("%") ? number.dropLast() : number
        guard let percent = Double(digits), percent.isFinite else { return nil }
        return JobProgress(percent: percent, message: rest.isEmpty ? nil : String(rest))
    }
}

/// Splits the bytes of the progress pipe into lines and parses them.
struct ProgressLineSplitter {
    private var pending: [UInt8] = []
    /// Lines that did not follow the protocol.
    private(set) var rejected = 0

    /// Feeds `chunk`; returns the progress of the complete lines in it, oldest first.
    mutating func feed(_ chunk: some Collection<UInt8>) -> [JobProgress] {
        var reports: [JobProgress] = []
        for byte in chunk {
            if byte == UInt8(ascii: "\n") {
                reports.append(contentsOf: finishLine())
            } else if pending.count < ProgressLine.maximumLength {
                pending.append(byte)
            }
        }
        return reports
    }

    /// At end of stream: the progress of a last line without a newline.
    mutating func finish() -> [JobProgress] {
        pending.isEmpty ? [] : finishLine()
    }

    private mutating func finishLine() -> [JobProgress] {
        defer { pending.removeAll(keepingCapacity: true) }
        let line = String(decoding: pending, as: UTF8.self)
        let text = line.hasSuffix("\r") ? line.dropLast() : Substring(line)
        if text.allSatisfy(\.isWhitespace) { return [] }
        guard let progress = ProgressLine.parse(text) else {
            rejected += 1
            return []
        }
        return [progress]
    }
}

extension Substring {
    /// Without leading and trailing whitespace.
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
