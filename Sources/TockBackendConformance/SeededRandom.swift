import TockValues

/// A seeded random number generator (SplitMix64) for property checks: the same seed gives
/// the same values on every machine and run, so a failing case is reproduced by its seed
/// and index. Tock's own instead of swift-property-based: the checks run inside the
/// conformance suite (not only under swift-testing), need no shrinking to be read, and
/// the package gains no dependency.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random JSON values for property checks.
public enum RandomJSON {
    /// Characters strings are drawn from: ASCII, the characters JSON escapes (quote,
    /// backslash, controls, NUL), non-ASCII letters, a character outside the BMP (a
    /// surrogate pair in `\u` escapes), combining marks.
    static let scalars: [Unicode.Scalar] =
        Array("abcXYZ 019_-./:{}[],\"\\".unicodeScalars)
        + ["\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\u{7F}", "\u{A0}", "é", "ß", "中", "\u{2028}", "\u{FEFF}", "😀", "\u{301}", "\u{10FFFF}"]

    /// A random string of up to `maxLength` scalars.
    public static func string(_ random: inout SeededRandom, maxLength: Int = 12) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &random) {
            text.append(scalars.randomElement(using: &random)!)
        }
        return String(text)
    }

    /// A random finite number: small integers, integers near 2^53, fractions, extremes,
    /// and arbitrary bit patterns.
    public static func number(_ random: inout SeededRandom) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return Double(Int.random(in: -1000...1000, using: &random))
        case 1: return Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &random))
        case 2: return Double.random(in: -1...1, using: &random)
        case 3: return [0.1, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -2.2250738585072014e-308, 1e21, 123456789.123456789].randomElement(using: &random)!
        default:
            while true {
                let value = Double(bitPattern: random.next())
                if value.isFinite { return value }
            }
        }
    }

    /// A random value nested at most `depth` levels (arrays and objects count one each).
    public static func value(_ random: inout SeededRandom, depth: Int = 4) -> JSONValue {
        switch Int.random(in: 0..<(depth > 1 ? 7 : 5), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number(&random))
        case 3, 4: return .string(string(&random))
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(&random, depth: depth - 1) })
        default: return .object(members(&random, depth: depth - 1))
        }
    }

    /// Random object members, nested at most `depth` levels below the object.
    public static func members(_ random: inout SeededRandom, depth: Int = 3, maxCount: Int = 4) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...maxCount, using: &random) {
            members[string(&random, maxLength: 6)] = value(&random, depth: depth)
        }
        return members
    }
}
