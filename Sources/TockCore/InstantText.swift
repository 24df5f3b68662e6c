import Foundation

/// ISO 8601 instants as filters take them: `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)`.
public enum InstantText {
    /// The instant `text` names, keeping up to microseconds of its fraction (Foundation's
    /// formatter alone keeps milliseconds); `nil` when it is not such a time.
    public static func date(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Double("0." + digits) else { return nil }
            fraction = value
            whole = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
        }
        guard let date = ISO8601DateFormatter().date(from: whole) else { return nil }
        return MicrosecondTime.rounded(date.addingTimeInterval(fraction))
    }

    /// What ``date(_:)`` accepts, for error messages.
    public static let expected = "an ISO 8601 time such as 2026-12-01T06:00:00Z or 2026-12-01T06:00:00.123456Z"
}
