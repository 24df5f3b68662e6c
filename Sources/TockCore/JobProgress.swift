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
