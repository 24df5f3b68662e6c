/// What happens to fires an event missed while no scheduler ran (`catch_up:`).
///
/// A struct rather than an enum so that policies can be added without breaking callers.
public struct CatchUpPolicy: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, Sendable, Hashable, CaseIterable {
        case none, latest, all
    }
    private let kind: Kind

    /// `none`: missed fires are skipped.
    public static let none = CatchUpPolicy(kind: .none)
    /// `latest` (the default): one job for the latest missed instant, as Frappe and
    /// systemd's `Persistent=true` do.
    public static let latest = CatchUpPolicy(kind: .latest)
    /// `all`: one job per missed instant, up to the scheduler's configured cap.
    public static let all = CatchUpPolicy(kind: .all)

    /// The names a schedule file may use, in documentation order.
    public static let names = Kind.allCases.map(\.rawValue)

    /// The policy named `name` in a schedule file (`none`, `latest`, `all`), or `nil`.
    public init?(name: String) {
        guard let kind = Kind(rawValue: name) else { return nil }
        self.kind = kind
    }

    private init(kind: Kind) { self.kind = kind }

    /// The name as a schedule file writes it.
    public var description: String { kind.rawValue }
}
