import Foundation

extension TockLogging {
    /// Where log records go.
    public struct Destination: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Hashable {
            case automatic, journald, standardError
        }

        private let kind: Kind

        /// The journal when systemd connected stderr to it (`JOURNAL_STREAM` names this
        /// process's stderr), else stderr.
        public static let automatic = Destination(kind: .automatic)
        /// The journal, with structured fields (``JournaldLogHandler``).
        public static let journald = Destination(kind: .journald)
        /// Plain lines on stderr (swift-log's `StreamLogHandler`).
        public static let standardError = Destination(kind: .standardError)

        /// `automatic`, `journald` or `stderr`, as a `--log` option would spell it.
        public var description: String {
            switch kind {
            case .automatic: "automatic"
            case .journald: "journald"
            case .standardError: "stderr"
            }
        }

        /// Parses ``description``'s spellings; `nil` for anything else.
        public init?(_ text: String) {
            switch text {
            case "automatic": self = .automatic
            case "journald": self = .journald
            case "stderr": self = .standardError
            default: return nil
            }
        }

        private init(kind: Kind) {
            self.kind = kind
        }

        /// ``journald`` or ``standardError``: ``automatic`` decided for this process.
        /// - Parameter environment: The process environment (for `JOURNAL_STREAM`).
        public func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) -> Destination {
            guard kind == .automatic else { return self }
            let stream = JournalStream(environment: environment)
            return stream?.isStandardError == true ? .journald : .standardError
        }
    }
}
