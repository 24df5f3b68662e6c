import Foundation
import Testing
import TockValues

/// Every number read from outside becomes an `Int` through `CheckedInteger`; none traps.
@Suite struct CheckedIntegerTests {
    /// The doubles that trap `Int(_:)`, the edges of `Int`, and random ones of every magnitude.
    static let doubles: [Double] = {
        var values: [Double] = [
            .nan, -.nan, .signalingNaN, .infinity, -.infinity, 1e300, -1e300, -0.0, 0, 0.5, -0.5, 1, -1,
            Double(Int.max), -Double(Int.max), Double(Int.min), 9.223372036854775e18, -9.223372036854777e18,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 2.0e9, 3_162_240_000, 3_162_240_001,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            values.append(Double(bitPattern: generator.next()))  // any bit pattern: NaNs, subnormals, huge
            values.append(Double.random(in: -1e20...1e20, using: &generator))
        }
        return values
    }()

    static let texts: [String] = [
        "", " ", "nan", "NaN", "inf", "-inf", "infinity", "1e300", "-1e300", "-0", "0", "-1", "+5", "1.5", "1e3", "0x10",
        "0x1p3", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
        "abc", "12abc", "1_000", "١٢", "--1", "1e", ".", "e5", "1 ", "\u{0}",
    ] + doubles.prefix(200).map { "\($0)" }

    @Test func everyDoubleGivesAnIntInRangeOrAnErrorNamingTheField() {
        let ranges: [ClosedRange<Int>] = [Int.min...Int.max, 0...Int.max, 1...3_162_240_000, -1...100, 0...0]
        for value in Self.doubles {
            for range in ranges {
                for rounding in [nil, FloatingPointRoundingRule.up, .down, .toNearestOrEven] {
                    do {
                        let integer = try CheckedInteger.integer(value, field: "timeout", in: range, rounding: rounding)
                        #expect(range.contains(integer))
                        #expect(Double(integer) == (rounding.map { value.rounded($0) } ?? value) || abs(Double(integer)) > 9e15)
                    } catch {
                        #expect(error.field == "timeout")
                        #expect(error.description.hasPrefix("timeout '"), "\(error)")
                        #expect(error.description.contains("\(range.lowerBound) to \(range.upperBound)"))
                        let rounded = rounding.map { value.rounded($0) } ?? value
                        // Refused only when it really is not a whole number in range.
                        #expect(!rounded.isFinite || rounded != rounded.rounded() || rounded < Double(range.lowerBound)
                            || rounded >= Double(range.upperBound) + 1 || !range.contains(Int(rounded)), "\(value) \(range)")
                    }
                }
                let clamped = CheckedInteger.clamped(value, to: range)
                #expect(range.contains(clamped))
            }
        }
    }

    @Test func everyTextGivesAnIntInRangeOrAnError() throws {
        for text in Self.texts {
            for range in [Int.min...Int.max, -1...3_162_240_000] {
                do {
                    let integer = try CheckedInteger.integer(text, field: "result_ttl", in: range, rounding: .up)
                    #expect(range.contains(integer), "\(text)")
                } catch {
                    #expect(error.field == "result_ttl" && error.description.contains("out of range"), "\(error)")
                }
            }
        }
        // What is read, exactly.
        #expect(try CheckedInteger.integer("-1", field: "t", in: Int.min...Int.max) == -1)
        #expect(try CheckedInteger.integer("1.5", field: "t", in: 0...10, rounding: .up) == 2)
        #expect(try CheckedInteger.integer("1e3", field: "t", in: 0...1000) == 1000)
        #expect(try CheckedInteger.integer("9223372036854775807", field: "t", in: Int.min...Int.max) == Int.max)
        for refused in ["nan", "inf", "1e300", "0x10", "1.5", "abc", "", "9223372036854775808"] {
            #expect(throws: NumberRangeError.self, "\(refused)") { try CheckedInteger.integer(refused, field: "t", in: Int.min...Int.max) }
        }
        #expect(throws: NumberRangeError(field: "timeout", value: "nan", expected: "a number from 1 to 10")) {
            try CheckedInteger.integer("nan", field: "timeout", in: 1...10, rounding: .up)
        }
    }

    @Test func jsonValuesNameTheFieldAndTheValue() throws {
        #expect(try JSONValue.number(2).integer(field: "args[0]", in: 0...10) == 2)
        do {
            _ = try JSONValue.number(1e300).integer(field: "args[0]", in: 0...10)
            Issue.record("1e300 was accepted")
        } catch {
            #expect(error.description == "args[0] '1e+300' is out of range: expected a whole number from 0 to 10")
        }
        #expect(throws: NumberRangeError.self) { try JSONValue.string("3").integer(field: "args[0]", in: 0...10) }
        #expect(throws: NumberRangeError.self) { try JSONValue.null.integer(field: "args[0]", in: 0...10) }
    }
}
