import Foundation
import Logging

/// Where Tock's processes log: the journal with structured fields under systemd, plain
/// lines on stderr otherwise (control characters escaped: ``EscapingStandardError``).
///
/// Library code never bootstraps swift-log; the `tock` command does, once, at start:
///
/// ```swift
/// LoggingSystem.bootstrap(TockLogging.factory(destination: .automatic), metadataProvider: nil)
/// ```
public enum TockLogging {
    /// A handler for one logger.
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - destination: Where records go; ``Destination/automatic`` is decided from the
    ///     environment at each call (prefer ``factory(destination:environment:)``, which
    ///     decides once).
    ///   - metadataProvider: Metadata added to every record.
    /// - Returns: A ``JournaldLogHandler`` or a `StreamLogHandler` on ``EscapingStandardError``.
    public static func makeHandler(
        label: String, destination: Destination = .automatic, metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        handler(label: label, destination: destination.resolved(), metadataProvider: metadataProvider)
    }

    /// A factory for `LoggingSystem.bootstrap`, the destination decided once, now.
    /// - Parameters:
    ///   - destination: Where records go.
    ///   - environment: The process environment (for `JOURNAL_STREAM`).
    /// - Returns: A closure making one handler per logger label.
    public static func factory(
        destination: Destination = .automatic, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler {
        let resolved = destination.resolved(environment: environment)
        return { label, provider in handler(label: label, destination: resolved, metadataProvider: provider) }
    }

    private static func handler(
        label: String, destination: Destination, metadataProvider: Logger.MetadataProvider?
    ) -> any LogHandler {
        if destination == .journald {
            return JournaldLogHandler(label: label, metadataProvider: metadataProvider)
        }
        return StreamLogHandler(label: label, stream: EscapingStandardError(), metadataProvider: metadataProvider)
    }
}
