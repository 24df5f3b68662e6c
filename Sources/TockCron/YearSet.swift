/// A set of years 1970–2199 as a fixed-size bit set (no allocation).
struct YearSet: Sendable, Hashable {
    static let first = 1970
    static let last = 2199
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: YearSet, b: YearSet) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    mutating func insert(_ year: Int) {
        guard year >= Self.first, year <= Self.last else { return }
        let bit = year - Self.first
        let mask: UInt64 = 1 << UInt64(bit & 63)
        switch bit >> 6 {
        case 0: words.0 |= mask
        case 1: words.1 |= mask
        case 2: words.2 |= mask
        default: words.3 |= mask
        }
    }

    var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    /// The smallest member `>= year`, or `nil`.
    func first(atOrAbove year: Int) -> Int? {
        var bit = max(year, Self.first) - Self.first
        while bit <= Self.last - Self.first {
            if let found = word(bit >> 6).firstMember(atOrAbove: bit & 63) {
                return Self.first + (bit & ~63) + found
            }
            bit = (bit & ~63) + 64
        }
        return nil
    }

    /// The largest member `<= year`, or `nil`.
    func last(atOrBelow year: Int) -> Int? {
        var bit = min(year, Self.last) - Self.first
        while bit >= 0 {
            if let found = word(bit >> 6).lastMember(atOrBelow: bit & 63) {
                return Self.first + (bit & ~63) + found
            }
            bit = (bit & ~63) - 1
        }
        return nil
    }

    /// All members in increasing order (for descriptions; allocates).
    var members: [Int] {
        var result: [Int] = []
        var year = Self.first
        while let next = first(atOrAbove: year) {
            result.append(next)
            year = next + 1
        }
        return result
    }
}
