/// What a fire does while the event's previous job is still queued or running
/// (`overlap:`).
///
/// A struct rather than an enum so that policies can be added without breaking callers.
public struct OverlapPolicy: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, Sendable, Hashable, CaseIterable {
        case skip, allow
    }
    private let kind: Kind

    /// `skip` (the default): the fire is skipped, and logged, while the previous job is
    /// queued or started; a job whose worker died does not count.
    public static let skip = OverlapPolicy(kind: .skip)
    /// `allow`: every fire enqueues.
    public static let allow = OverlapPolicy(kind: .allow)

    /// The names a schedule file may use, in documentation order.
    public static let names = Kind.allCases.map(\.rawValue)

    /// The policy named `name` in a schedule file (`skip`, `allow`), or `nil`.
    public init?(name: String) {
        guard let kind = Kind(rawValue: name) else { return nil }
        self.kind = kind
    }

    private init(kind: Kind) { self.kind = kind }

    /// The name as a schedule file writes it.
    public var description: String { kind.rawValue }
}
