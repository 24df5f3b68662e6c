import Logging

/// A swift-log handler that writes structured records to the systemd journal.
///
/// Each record carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `TOCK_LABEL`, the
/// `CODE_*` location and one `TOCK_*` field per metadata key (see ``JournalRecord``), so
/// `journalctl -u tock-scheduler TOCK_EVENT=cabs_app.sync` selects by metadata.
///
/// When journald cannot be reached the record is written to stderr as a plain line instead,
/// with the reason under the `journald-error` metadata key: under systemd stderr goes to
/// the journal too, so nothing is lost but the fields.
public struct JournaldLogHandler: LogHandler {
    /// Sends a record; replaced in tests.
    typealias Sink = @Sendable (JournalRecord) -> Result<Void, SystemdError>

    /// The logger's label, sent as `TOCK_LABEL=`.
    public let label: String
    /// `SYSLOG_IDENTIFIER=`, what `journalctl -t` selects by.
    public let identifier: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: Sink

    /// - Parameters:
    ///   - label: The logger's label.
    ///   - identifier: `SYSLOG_IDENTIFIER=`; default `tock`.
    ///   - metadataProvider: Metadata added to every record (e.g. from task locals).
    public init(label: String, identifier: String = "tock", metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, identifier: identifier, metadataProvider: metadataProvider, sink: Journal.send)
    }

    init(label: String, identifier: String, metadataProvider: Logger.MetadataProvider?, sink: @escaping Sink) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = mergedMetadata(event.metadata)
        let record = JournalRecord(
            level: event.level, message: event.message.description, metadata: merged, label: label,
            identifier: identifier, error: event.error, file: event.file, function: event.function, line: event.line)
        if case .failure(let error) = sink(record) {
            var fallback = StreamLogHandler.standardError(label: label)
            fallback.logLevel = logLevel
            var event = event
            event.metadata = merged.merging(["journald-error": "\(error)"]) { $1 }
            fallback.log(event: event)
        }
    }

    /// The handler's metadata, then the provider's, then the call's: later keys win.
    func mergedMetadata(_ call: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { $1 }
        }
        if let call {
            merged.merge(call) { $1 }
        }
        return merged
    }
}
