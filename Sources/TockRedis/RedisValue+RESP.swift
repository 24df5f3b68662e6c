import CHiredis

extension RedisValue {
    /// The replies in `bytes` as the connection reads them: fed to a hiredis reader
    /// (`redisReaderCreate`/`redisReaderFeed`/`redisReaderGetReply`, the parser
    /// `redisGetReply` uses) and each complete reply copied by ``init(reply:)``.
    ///
    /// For the RESP fuzz target and its regression tests; a connection never calls it.
    /// - Returns: the complete replies in order, and hiredis' error text if the bytes stop
    ///   being RESP (what a connection reports as a protocol error); a reply cut short at
    ///   the end is neither.
    @_spi(Fuzzing) public static func replies(fromRESP bytes: [UInt8]) -> (values: [RedisValue], error: String?) {
        guard let reader = redisReaderCreate() else { return ([], "redisReaderCreate failed") }
        defer { redisReaderFree(reader) }
        let fed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, buffer.count) }
        }
        guard fed == REDIS_OK else { return ([], errorText(reader)) }
        var values: [RedisValue] = []
        while true {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &raw) == REDIS_OK else { return (values, errorText(reader)) }
            guard let raw else { return (values, nil) }
            values.append(RedisValue(reply: raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
    }

    private static func errorText(_ reader: UnsafeMutablePointer<redisReader>) -> String {
        withUnsafeBytes(of: reader.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
