import Foundation
import Testing
import TockValues
@testable import TockSQLite

@Suite struct JSONTextTests {
    @Test func writesCompactSortedText() {
        let value: JSONValue = ["b": [1, 2.5, "x\u{01}"], "a": nil, "c": ["d": true]]
        #expect(JSONText.encode(value) == #"{"a":null,"b":[1,2.5,"x\u0001"],"c":{"d":true}}"#)
        #expect(JSONText.encode(.number(.nan)) == "null")
        #expect(JSONText.encode(.number(-0.0)) == "0")
        #expect(JSONText.encode(.number(1e300)) == "1e+300")
        #expect(JSONText.encode([10, 60]) == "[10,60]")
    }

    @Test(arguments: [
        #"{"a":null,"b":[1,2.5,"x\u0001"],"c":{"d":true}}"#,
        #"  [ 1 , -2.5e-3 , 1E+2, 0.1, 123456789012345, "é 🎉", "\ud83c\udf89", "\"\\\/\b\f\n\r\t" ]  "#,
        #"{"k": {"k": [[], {}, [[[]]]]}, "": false}"#,
        #""just a string""#, "-0", "null", "true",
    ])
    func readsWhatFoundationReads(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(JSONText.encode(expected)) == expected)
    }

    @Test(arguments: ["", "[1,]", "{\"a\" 1}", "[1] 2", "\"open", "tru", "{1: 2}", "[\"\u{01}\"]", "\"\\x\"", "1e999"])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func refusesTooDeepNesting() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(String(repeating: "[", count: 10_000)) }
    }

    @Test func shapedReadsNameTheColumn() throws {
        #expect(throws: StoredValueError.self) { try JSONText.integers("[1.5]", column: "retry_intervals", row: "job 'x'") }
        #expect((try? JSONText.object("[]", column: "kwargs", row: "job 'x'")) == nil)
        #expect(try JSONText.strings(#"["short","default"]"#, column: "queues", row: "w") == ["short", "default"])
    }
}
