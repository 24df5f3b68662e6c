/// Journal field names for log metadata keys.
///
/// journald accepts field names of at most 64 characters from `A–Z`, `0–9` and `_`, not
/// starting with `_` (those are trusted fields journald adds itself) or a digit. Tock's
/// fields all start with `TOCK_`, which keeps them apart from journald's own (`MESSAGE`,
/// `PRIORITY`, `CODE_FILE`, …) and easy to select: `journalctl TOCK_QUEUE=long`.
public enum JournalFieldName {
    /// The longest field name journald accepts.
    public static let maximumLength = 64

    /// The field a metadata key is sent as: upper-cased, every character outside `A–Z`,
    /// `0–9` (`-`, `.`, spaces, non-ASCII letters) replaced by `_`, prefixed `TOCK_` unless it
    /// already starts so, and cut to 64 characters. `event` → `TOCK_EVENT`, `job-id` →
    /// `TOCK_JOB_ID`, `tock.queue` → `TOCK_QUEUE`.
    ///
    /// Different keys can meet on one name (`job-id`, `job_id`); journald keeps both
    /// values under it.
    /// - Parameter key: A swift-log metadata key.
    /// - Returns: A valid journal field name.
    public static func forMetadataKey(_ key: String) -> String {
        var name = String(String.UnicodeScalarView(key.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "A"..."Z", "0"..."9": scalar
            case "a"..."z": Unicode.Scalar(scalar.value - 32)!
            default: "_"
            }
        }))
        if !name.hasPrefix("TOCK_") {
            name = "TOCK_" + name
        }
        return String(name.prefix(maximumLength))
    }
}
