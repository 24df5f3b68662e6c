/// The last `limit` bytes a command wrote to one stream; older bytes are dropped.
struct OutputTail: Sendable, Hashable {
    /// How many bytes are kept.
    let limit: Int
    /// The kept bytes (at most `limit`).
    private(set) var bytes: [UInt8] = []
    /// Whether bytes were dropped.
    private(set) var truncated = false

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Appends `chunk`, dropping the oldest bytes past `limit` (in amortized O(chunk)).
    mutating func append(_ chunk: some Collection<UInt8>) {
        bytes.append(contentsOf: chunk)
        if bytes.count > 2 * limit || (bytes.count > limit && chunk.count >= limit) {
            trim()
        }
    }

    /// The kept bytes as UTF-8 text; a character cut in two by the limit, or any invalid
    /// sequence, becomes U+FFFD.
    var text: String {
        var copy = self
        copy.trim()
        return String(decoding: copy.bytes, as: UTF8.self)
    }

    private mutating func trim() {
        guard bytes.count > limit else { return }
        bytes.removeFirst(bytes.count - limit)
        truncated = true
    }
}
