/// Small helpers over `UInt64` used as a set of field values (bit n = value n).
extension UInt64 {
    /// The smallest member that is `>= value`, or `nil`. `value` may be 0...64.
    @inline(__always)
    func firstMember(atOrAbove value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = self & (~0 << UInt64(value))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// The largest member that is `<= value`, or `nil`. `value` may be -1...63.
    @inline(__always)
    func lastMember(atOrBelow value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let rest = value >= 63 ? self : self & ((1 << UInt64(value + 1)) - 1)
        return rest == 0 ? nil : 63 - rest.leadingZeroBitCount
    }

    @inline(__always)
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && self & (1 << UInt64(value)) != 0
    }

    /// The members `lower...upper` (both 0...63).
    @inline(__always)
    static func range(_ lower: Int, _ upper: Int) -> UInt64 {
        guard lower <= upper else { return 0 }
        let high: UInt64 = upper >= 63 ? ~0 : (1 << UInt64(upper + 1)) - 1
        return high & (~0 << UInt64(lower))
    }
}
