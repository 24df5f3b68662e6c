import Logging

/// One journal entry, as the `FIELD=value` strings `sd_journal_sendv` takes.
///
/// Fields, in order: `MESSAGE`, `PRIORITY` (``Logging/Logger/Level/syslogPriority``),
/// `SYSLOG_IDENTIFIER`, `TOCK_LABEL` (the logger's label), `CODE_FILE`, `CODE_LINE`,
/// `CODE_FUNC`, `TOCK_ERROR` when the event carries an error, then one field per metadata
/// key in key order, named by ``JournalFieldName/forMetadataKey(_:)``. Values are sent as
/// they are, line breaks included (the journal keeps them); nested metadata is sent as its
/// `description` (`["a", "b"]`).
public struct JournalRecord: Sendable, Hashable {
    /// The fields, each `NAME=value`.
    public var fields: [String]

    /// - Parameters:
    ///   - level: The record's level, sent as `PRIORITY=`.
    ///   - message: `MESSAGE=`.
    ///   - metadata: The merged metadata (handler, provider, call); each key a `TOCK_` field.
    ///   - label: The logger's label, `TOCK_LABEL=`.
    ///   - identifier: `SYSLOG_IDENTIFIER=`, what `journalctl -t` selects by.
    ///   - error: The event's error, if any, as `TOCK_ERROR=`.
    ///   - file: `CODE_FILE=`.
    ///   - function: `CODE_FUNC=`.
    ///   - line: `CODE_LINE=`.
    public init(
        level: Logger.Level, message: String, metadata: Logger.Metadata, label: String, identifier: String,
        error: (any Error)? = nil, file: String, function: String, line: UInt
    ) {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(level.syslogPriority)",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "TOCK_LABEL=\(label)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        if let error {
            fields.append("TOCK_ERROR=\(String(describing: error))")
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append("\(JournalFieldName.forMetadataKey(key))=\(value.description)")
        }
        self.fields = fields
    }

    /// The value of the first field with this name, e.g. `record.value(of: "TOCK_QUEUE")`.
    public func value(of name: String) -> String? {
        let prefix = name + "="
        return fields.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
