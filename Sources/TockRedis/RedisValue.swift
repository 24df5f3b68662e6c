import CHiredis

/// One RESP2 reply from Redis.
public enum RedisValue: Equatable, Hashable, Sendable {
    /// A bulk string, as raw bytes (Redis strings are binary-safe).
    case bulk([UInt8])
    /// A simple status reply such as `OK` or `QUEUED`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// An array reply (multi-bulk).
    case array([RedisValue])
    /// The null bulk string or null array.
    case null
    /// An error reply, with the server's text (e.g. `ERR wrong number of arguments`).
    case error(String)

    /// The value as text: bulk strings decoded as UTF-8, status replies, integers in decimal.
    public var string: String? {
        switch self {
        case let .bulk(bytes): String(decoding: bytes, as: UTF8.self)
        case let .status(text): text
        case let .integer(value): String(value)
        default: nil
        }
    }

    /// The value as bytes: bulk strings as they are, status replies as UTF-8.
    public var bytes: [UInt8]? {
        switch self {
        case let .bulk(bytes): bytes
        case let .status(text): Array(text.utf8)
        default: nil
        }
    }

    /// The value as an integer: integer replies, or bulk strings holding a decimal integer.
    public var integer: Int64? {
        switch self {
        case let .integer(value): value
        case let .bulk(bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case let .array(values) = self { values } else { nil }
    }

    /// Copies a hiredis reply (which the caller still owns and frees).
    init(reply pointer: UnsafePointer<redisReply>) {
        let reply = pointer.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            self = .bulk(Array(UnsafeRawBufferPointer(start: reply.str, count: reply.len)))
        case REDIS_REPLY_STATUS:
            self = .status(Self.text(reply))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(reply))
        case REDIS_REPLY_INTEGER:
            self = .integer(reply.integer)
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY:
            var values: [RedisValue] = []
            values.reserveCapacity(reply.elements)
            for index in 0..<reply.elements {
                if let element = reply.element[index] {
                    values.append(RedisValue(reply: element))
                } else {
                    values.append(.null)
                }
            }
            self = .array(values)
        default:
            self = .error("unknown hiredis reply type \(reply.type)")
        }
    }

    private static func text(_ reply: redisReply) -> String {
        String(decoding: UnsafeRawBufferPointer(start: reply.str, count: reply.len), as: UTF8.self)
    }
}
