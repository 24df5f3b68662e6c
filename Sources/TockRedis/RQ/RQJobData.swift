import TockValues

/// A job's `data` field as RQ's `JSONSerializer` writes it: zlib-compressed (header
/// `78 9c`; RQ rejects raw deflate) UTF-8 JSON of `[name, null, args, kwargs]`.
enum RQJobData {
    /// What a job's `data` holds.
    struct Call: Sendable, Hashable {
        var name: String
        var args: [JSONValue]
        var kwargs: [String: JSONValue]
    }

    /// Why `data` could not be read, in words an operator can act on.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    static func encode(name: String, args: [JSONValue], kwargs: [String: JSONValue], zlib: RQZlib) -> [UInt8] {
        zlib.compress(JSONText.encode(.array([.string(name), .null, .array(args), .object(kwargs)])))
    }

    static func decode(_ bytes: [UInt8], zlib: RQZlib) throws(Unreadable) -> Call {
        var plain = bytes
        if bytes.first == 0x78 {
            // A truncated stream decompresses to nothing rather than failing.
            guard let output = zlib.decompress(bytes, limit: 64 * 1024 * 1024), !output.isEmpty else {
                throw Unreadable(description: "job data is not valid zlib (truncated or damaged)")
            }
            plain = output
        }
        // RQ falls back to uncompressed data; so do we. Pickle (RQ's default serializer,
        // protocol 2 and later) starts with the PROTO opcode 0x80: tested on the bytes, since
        // decoding them as UTF-8 first would turn it into U+FFFD.
        if plain.first == 0x80 {
            throw Unreadable(
                description: "job data is pickle-serialized; Tock reads only JSON: enqueue with Queue(..., serializer=JSONSerializer)")
        }
        let text = String(decoding: plain, as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw Unreadable(
                description: "job data is not JSON (\(error.reason) at byte \(error.offset)); "
                    + "enqueue with Queue(..., serializer=JSONSerializer)")
        }
        guard case .array(let parts) = value, parts.count == 4, case .string(let name) = parts[0] else {
            throw Unreadable(description: "job data is not [name, instance, args, kwargs]: \(text.prefix(80))")
        }
        guard parts[1] == .null else {
            throw Unreadable(description: "job '\(name)' is a method call on an instance; Tock runs functions by name only")
        }
        guard case .array(let args) = parts[2], case .object(let kwargs) = parts[3] else {
            throw Unreadable(description: "job data's args/kwargs are not a list and an object: \(text.prefix(80))")
        }
        return Call(name: name, args: args, kwargs: kwargs)
    }
}
