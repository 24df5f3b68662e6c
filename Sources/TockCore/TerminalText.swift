/// Text from jobs (names, errors, results, worker names) made safe for a terminal or a
/// plain-text log line: control characters become visible escapes, so that an escape
/// sequence cannot reach the operator's terminal and a newline cannot break a table
/// or forge a log line.
///
/// ```swift
/// TerminalText.escaped("bad\u{1b}[2Jjob\nline")     // #"bad\e[2Jjob\nline"#
/// TerminalText.cell(String(repeating: "x", count: 100), limit: 10)  // "xxxxxxxxx…"
/// ```
///
/// What is escaped: C0 controls (`\n`, `\r`, `\t`, `\e` by name, the rest as `\xNN`),
/// DEL and C1 controls (`\x7f`, `\u{9b}`), and the Unicode controls that reorder or hide
/// text (bidirectional overrides and isolates, U+2028/U+2029 separators). A backslash is
/// kept as it is: the escapes are for reading, not for reversing.
public enum TerminalText {
    /// `text` with every control character replaced by a visible escape.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += escape(scalar)
        }
        return result
    }

    /// ``escaped(_:)``, then cut to at most `limit` characters, the last one `…` when cut.
    public static func cell(_ text: String, limit: Int) -> String {
        let escaped = escaped(text)
        guard limit > 0, escaped.count > limit else { return escaped }
        return escaped.prefix(limit - 1) + "…"
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{1B}": return "\\e"
        default:
            let hex = String(scalar.value, radix: 16)
            if scalar.value <= 0x7F { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
            return "\\u{" + hex + "}"
        }
    }
}
