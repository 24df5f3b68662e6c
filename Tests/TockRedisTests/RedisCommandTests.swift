import Testing
@testable import TockRedis

@Suite("RedisCommand encoding")
struct RedisCommandTests {
    @Test func encodesRESPAsHiredisWould() {
        let binary: [UInt8] = [0, 13, 10, 0xFF]
        let command = RedisCommand(["set", "key", RedisArgument(binary)])
        #expect(command.count == 3)
        #expect(command.encoded == Array("*3\r\n$3\r\nset\r\n$3\r\nkey\r\n$4\r\n".utf8) + binary + [13, 10])
        #expect(command.name == "SET")
    }

    @Test func appendsTextIntegersAndOtherCommands() {
        var words = RedisCommand()
        words.append("é")  // two UTF-8 bytes
        words.append(1234567890)
        var command = RedisCommand(["EVALSHA"])
        command.append(words.count)
        command.append(contentsOf: words)
        #expect(command.count == 4)
        #expect(command.encoded == Array("*4\r\n$7\r\nEVALSHA\r\n$1\r\n2\r\n$2\r\né\r\n$10\r\n1234567890\r\n".utf8))
        #expect(RedisCommand().name == "")
    }

    @Test func longArgumentsCarryTheirWholeLength() {
        let text = String(repeating: "x", count: 70_000)
        let command = RedisCommand(["HSET", RedisArgument(text)])
        #expect(command.body.count == "$4\r\nHSET\r\n".utf8.count + "$70000\r\n".utf8.count + 70_000 + 2)
    }
}
