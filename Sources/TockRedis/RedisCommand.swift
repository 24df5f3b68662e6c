/// A command's arguments, encoded in RESP as they are added: what the connection writes.
///
/// A thousand jobs' enqueue is one script call of some 60,000 arguments; building them as
/// bytes once, rather than as arrays of ``RedisArgument`` copied at each layer that adds
/// its own in front, is most of what such a call costs the client.
public struct RedisCommand: Sendable {
    /// How many arguments it has.
    public private(set) var count = 0
    /// The arguments in RESP, `$<length>\r\n<bytes>\r\n` each, without the `*<count>` header.
    private(set) var body: [UInt8] = []

    /// No arguments yet.
    public init() {}

    /// These arguments.
    public init(_ arguments: [RedisArgument]) {
        var size = 0
        for argument in arguments { size += argument.count + 16 }
        body.reserveCapacity(size)
        for argument in arguments { append(argument) }
    }

    /// Adds one argument.
    public mutating func append(_ argument: RedisArgument) {
        switch argument.storage {
        case .text(let text): append(text)
        case .bytes(let bytes): append(bytes)
        }
    }

    /// Adds a text argument, as UTF-8.
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Adds a binary argument.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Adds an integer argument, in decimal.
    public mutating func append(_ value: some BinaryInteger) {
        append(String(value))
    }

    /// Adds every argument of `other`, after these.
    public mutating func append(contentsOf other: RedisCommand) {
        body.append(contentsOf: other.body)
        count += other.count
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        body.append(UInt8(ascii: "$"))
        Self.appendDecimal(bytes.count, to: &body)
        body.append(13)
        body.append(10)
        body.append(contentsOf: bytes)
        body.append(13)
        body.append(10)
        count += 1
    }

    /// The `*<count>` header that goes before ``body``.
    var header: [UInt8] {
        var header: [UInt8] = [UInt8(ascii: "*")]
        Self.appendDecimal(count, to: &header)
        header.append(13)
        header.append(10)
        return header
    }

    /// The command in RESP, as written to the socket.
    public var encoded: [UInt8] { header + body }

    /// The first argument, uppercased: the command's name in error messages.
    var name: String {
        // `$<length>\r\n` then the bytes.
        guard let lineEnd = body.firstIndex(of: 13), let length = Int(String(decoding: body[1..<lineEnd], as: UTF8.self)),
            lineEnd + 2 + length <= body.count
        else { return "" }
        return String(decoding: body[(lineEnd + 2)..<(lineEnd + 2 + length)], as: UTF8.self).uppercased()
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }
}
