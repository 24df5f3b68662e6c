import Foundation
import TockCore

/// stderr for plain-text log lines, each made one line through ``TockCore/TerminalText``:
/// a job's name, error or worker name in a message or in metadata cannot send escape
/// sequences to the terminal, and a newline in it cannot start a forged log line.
///
/// `StreamLogHandler` writes each record in one call ending in `\n`; that last newline is
/// kept, everything before it is escaped. (The journal gets its fields exactly: see
/// ``JournaldLogHandler``.)
struct EscapingStandardError: TextOutputStream, Sendable {
    func write(_ string: String) {
        var body = Substring(string)
        let endsLine = body.last == "\n"
        if endsLine { body.removeLast() }
        let line = TerminalText.escaped(String(body)) + (endsLine ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
