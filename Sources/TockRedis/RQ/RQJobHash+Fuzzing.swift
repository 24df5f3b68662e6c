import Foundation
import TockCore

/// The RQ job hash decoder as the fuzz target and its regression tests call it: a hash
/// read from Redis (field → bytes) to a ``TockCore/Job``, strictly as a claim reads it
/// and leniently as listings show an unreadable one.
@_spi(Fuzzing) public enum RQJobHashDecoding {
    private static let zlib = RQZlib()

    /// The job `hash` holds, or why it cannot be read; and the placeholder listings show.
    public static func decode(id: String, hash: [String: [UInt8]]) -> (job: Result<Job, any Error>, placeholder: Job) {
        let job: Result<Job, any Error>
        do {
            job = .success(try RQJobHash.job(id: id, hash: hash, latestResult: nil, zlib: zlib))
        } catch {
            job = .failure(error)
        }
        return (job, RQJobHash.placeholder(id: id, hash: hash, reason: "unreadable", zlib: zlib))
    }

    /// `text` zlib-compressed as RQ's `data` field holds it.
    public static func compressed(_ text: String) -> [UInt8] { zlib.compress(text) }
}
