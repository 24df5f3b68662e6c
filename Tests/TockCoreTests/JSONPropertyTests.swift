import Testing
import TockBackendConformance
import TockValues

/// `JSONParser.parse(JSONText.encode(x)) == x` for random values from fixed seeds
/// (`RandomJSON`: escapes, NUL, surrogate pairs, numbers at the edges of `Double`).
@Suite struct JSONPropertyTests {
    @Test(arguments: [1, 2, 3, 0xDEAD_BEEF] as [UInt64])
    func printedValuesParseBackEqual(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        for index in 0..<500 {
            let value = RandomJSON.value(&random, depth: 5)
            let text = JSONText.encode(value)
            let parsed = try JSONParser.parse(text)
            #expect(parsed == value, "seed \(seed), value \(index): \(text)")
        }
    }

    @Test func valuesNestedToTheParserDepthParseBackEqual() throws {
        var random = SeededRandom(seed: 7)
        var value = RandomJSON.value(&random, depth: 1)
        for level in 1..<JSONParser.maximumDepth {
            value = level.isMultiple(of: 2) ? .array([value]) : .object([RandomJSON.string(&random): value])
        }
        #expect(try JSONParser.parse(JSONText.encode(value)) == value)
        // One level more is refused as too deep, not read wrongly.
        let deeper = JSONValue.array([value])
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(JSONText.encode(deeper)) }
    }

    @Test func randomNumbersPrintAsTheSameDouble() throws {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            let number = RandomJSON.number(&random)
            let parsed = try JSONParser.parse(JSONText.encode(.number(number)))
            #expect(parsed == .number(number), "\(number)")
        }
    }
}
