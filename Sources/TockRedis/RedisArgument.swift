/// One argument of a Redis command: binary-safe bytes, written from strings, integers or bytes.
///
/// String and integer literals convert, so `["SET", "key", "value"]` is a command. Text is
/// kept as a `String` until it is written (short strings need no allocation of their own:
/// a job's enqueue has dozens of arguments).
public struct RedisArgument: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    enum Storage: Sendable {
        case text(String)
        case bytes([UInt8])
    }

    let storage: Storage

    /// An argument of raw bytes.
    public init(_ bytes: [UInt8]) { storage = .bytes(bytes) }
    /// An argument of UTF-8 text.
    public init(_ string: String) { storage = .text(string) }
    /// An integer argument, sent in decimal.
    public init(_ value: some BinaryInteger) { storage = .text(String(value)) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }

    /// The bytes sent to the server.
    public var bytes: [UInt8] {
        switch storage {
        case .text(let text): Array(text.utf8)
        case .bytes(let bytes): bytes
        }
    }

    /// How many bytes are sent.
    var count: Int {
        switch storage {
        case .text(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        }
    }

    /// The argument as text, for error messages.
    var text: String {
        switch storage {
        case .text(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    public static func == (a: RedisArgument, b: RedisArgument) -> Bool { a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
