import Foundation
import TockValues

/// Splits a byte stream arriving in pieces into NDJSON lines, holding at most one line
/// (bounded) plus the piece being read. Lines end in `\n`; a `\r` before it is dropped;
/// blank lines are skipped but counted.
public struct NDJSONLines: Sendable {
    /// One line and its 1-based number in the stream.
    public struct Line: Sendable {
        public var number: Int
        public var bytes: [UInt8]

        /// The line as a JSON value.
        /// - Throws: ``TockError/invalidArgument(_:)`` naming the line and `field`.
        public func value(field: String) throws(TockError) -> JSONValue {
            guard let text = String(bytes: bytes, encoding: .utf8) else {
                throw .malformedJSON(field: field, detail: "line \(number) is not UTF-8")
            }
            do {
                return try JSONParser.parse(text, maximumDepth: JobLimits.maximumNesting)
            } catch {
                throw .malformedJSON(field: field, detail: "line \(number) is not a JSON value (at byte \(error.offset + 1): \(error.reason)); send one JSON value per line")
            }
        }
    }

    public let maximumLineBytes: Int
    private var partial: [UInt8] = []
    /// Lines ended so far, blank ones included.
    public private(set) var lineCount = 0

    public init(maximumLineBytes: Int = BatchLimits.maximumLineBytes) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// The lines `piece` completes, in order.
    /// - Throws: ``TockError/invalidArgument(_:)`` when a line grows past `maximumLineBytes`.
    public mutating func lines(in piece: some Collection<UInt8>) throws(TockError) -> [Line] {
        var lines: [Line] = []
        var start = piece.startIndex
        while let end = piece[start...].firstIndex(of: UInt8(ascii: "\n")) {
            partial.append(contentsOf: piece[start..<end])
            try checkLength()
            lineCount += 1
            if let line = takeLine() { lines.append(line) }
            start = piece.index(after: end)
        }
        partial.append(contentsOf: piece[start...])
        try checkLength()
        return lines
    }

    /// The last line, if the stream did not end with `\n`.
    public mutating func finish() -> Line? {
        guard !partial.isEmpty else { return nil }
        lineCount += 1
        return takeLine()
    }

    private func checkLength() throws(TockError) {
        if partial.count > maximumLineBytes {
            throw .invalidArgument("line \(lineCount + 1) is longer than \(maximumLineBytes) bytes; one item per line, each at most that")
        }
    }

    private mutating func takeLine() -> Line? {
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        defer { partial.removeAll(keepingCapacity: true) }
        guard partial.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return nil }
        return Line(number: lineCount, bytes: partial)
    }
}
