import Testing
@_spi(Fuzzing) import TockRedis

/// `RedisValue.replies(fromRESP:)`, the entry point of the RESP fuzz target: hiredis'
/// reader and Tock's copy of each reply, without a server.
@Suite struct RESPReaderTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func everyReplyKindIsCopied() {
        let (values, error) = RedisValue.replies(fromRESP: bytes("+OK\r\n-ERR no\r\n:-42\r\n$3\r\na\u{0}b\r\n$-1\r\n*2\r\n:1\r\n*1\r\n+QUEUED\r\n*-1\r\n"))
        #expect(error == nil)
        #expect(values == [.status("OK"), .error("ERR no"), .integer(-42), .bulk([97, 0, 98]), .null, .array([.integer(1), .array([.status("QUEUED")])]), .null])
    }

    @Test func aReplyCutShortIsNeitherAValueNorAnError() {
        let (values, error) = RedisValue.replies(fromRESP: bytes(":1\r\n$10\r\nhalf"))
        #expect(values == [.integer(1)])
        #expect(error == nil)
    }

    @Test func bytesThatAreNotRESPAreAProtocolError() {
        let (values, error) = RedisValue.replies(fromRESP: bytes(":7\r\n?what\r\n"))
        #expect(values == [.integer(7)])
        #expect(error?.contains("Protocol error") == true, "\(error ?? "no error")")
    }
}
