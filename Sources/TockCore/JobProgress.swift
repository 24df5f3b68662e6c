import TockValues

/// How far a running job is: a percentage and an optional message.
public struct JobProgress: Sendable, Hashable, Codable {
    /// 0–100; values outside are clamped.
    public var percent: Double
    public var message: String?

    public init(percent: Double, message: String? = nil) {
        self.percent = min(100, max(0, percent.isFinite ? percent : 0))
        self.message = message.map { String($0.prefix(Job.maximumMessageLength)) }
    }
}

extension JobProgress {
    /// `{"message":…,"percent":…}`, as the backends store progress; the message key is left
    /// out when there is none.
    public var jsonText: String {
        var members: [String: JSONValue] = ["percent": .number(percent)]
        if let message { members["message"] = .string(message) }
        return JSONText.encode(.object(members))
    }

    /// Reads what ``jsonText`` wrote, as it was written; nil without a numeric `percent`.
    public init?(json: JSONValue) {
        guard let percent = json["percent"]?.numberValue else { return nil }
        // Clamped as the initializer does: another client may have written any number.
        self.init(percent: percent, message: json["message"]?.stringValue)
    }
}
