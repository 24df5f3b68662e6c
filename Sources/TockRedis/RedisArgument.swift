/// One argument of a Redis command: binary-safe bytes, written from strings, integers or bytes.
///
/// String and integer literals convert, so `["SET", "key", "value"]` is a command.
public struct RedisArgument: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The bytes sent to the server.
    public var bytes: [UInt8]

    /// An argument of raw bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// An argument of UTF-8 text.
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// An integer argument, sent in decimal.
    public init(_ value: some BinaryInteger) { self.bytes = Array(String(value).utf8) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }

    /// The argument as text, for error messages.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
