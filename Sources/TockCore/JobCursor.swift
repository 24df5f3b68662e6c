import Foundation

/// A place in a listing: the creation time and id of the last job of a page. The next
/// page holds the jobs listed strictly after it (older, or as old with a smaller id), so
/// jobs enqueued meanwhile never shift a page and no page repeats or skips a job — a
/// "keyset", not an offset.
///
/// Clients treat it as opaque text: ``text`` is `<microseconds>.<id>` in base64url
/// without padding. It holds nothing secret.
public struct JobCursor: Sendable, Hashable {
    /// Microseconds since the epoch (``MicrosecondTime``).
    public var createdAt: Int64
    public var id: JobID

    public init(createdAt: Int64, id: JobID) {
        self.createdAt = createdAt
        self.id = id
    }

    /// The place just after `job`.
    public init(after job: Job) {
        self.init(createdAt: MicrosecondTime.microseconds(job.createdAt), id: job.id)
    }

    /// Whether the place `self` comes before `other` in a listing (newer first).
    public func isListedBefore(_ other: JobCursor) -> Bool {
        (createdAt, id.rawValue) > (other.createdAt, other.id.rawValue)
    }

    /// Whether `job` is listed after this place.
    public func precedes(_ job: Job) -> Bool { isListedBefore(JobCursor(after: job)) }

    /// The cursor as clients see it.
    public var text: String {
        Data("\(createdAt).\(id.rawValue)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads ``text`` back.
    /// - Throws: ``TockError/invalidArgument(_:)`` saying the cursor is not one a listing gave.
    public init(text: String) throws(TockError) {
        let refusal = TockError.invalidArgument(
            "cursor '\(text.prefix(80))' is not one a listing gave; pass the next_cursor of the previous page unchanged")
        guard text.utf8.count <= 400 else { throw refusal }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
            let dot = decoded.firstIndex(of: "."), let createdAt = Int64(decoded[..<dot]),
            let id = try? JobID(String(decoded[decoded.index(after: dot)...]))
        else { throw refusal }
        self.init(createdAt: createdAt, id: id)
    }
}
