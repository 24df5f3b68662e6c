import Foundation

/// A job's id: `[A-Za-z0-9_-]`, 1–128 characters; random (a UUID) unless the caller
/// gives one. Enqueueing an id that exists is a no-op that returns the existing job, so
/// a caller-chosen id is an idempotency key.
public struct JobID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Checks `text` against the id rules.
    /// - Throws: ``TockError/invalidJobID(_:reason:)`` saying what is accepted.
    public init(_ text: String) throws(TockError) {
        guard !text.isEmpty, text.utf8.count <= 128 else {
            throw .invalidJobID(text, reason: "must be 1 to 128 characters long")
        }
        if let bad = text.unicodeScalars.first(where: { !Self.allowed($0) }) {
            throw .invalidJobID(text, reason: "contains '\(bad)'; only A-Z, a-z, 0-9, '_' and '-' are accepted")
        }
        rawValue = text
    }

    /// A new random id (a lowercase version-4 UUID). Made from the system's random number
    /// generator (`getrandom`): Foundation's `UUID()` opens and reads `/dev/urandom` each time,
    /// which costs more than storing the job.
    public static func random() -> JobID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        bytes.0 = (bytes.0 & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        bytes.1 = (bytes.1 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let uuid = withUnsafeBytes(of: (bytes.0.bigEndian, bytes.1.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
        return JobID(unchecked: uuid.uuidString.lowercased())
    }

    /// An id the caller already knows to be valid (made by Tock itself).
    public init(unchecked text: String) { rawValue = text }

    public var description: String { rawValue }
    public static func < (a: JobID, b: JobID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }
}
