/// "Did you mean …?": the candidate closest to a misspelling.
enum NearestMatch {
    /// The candidate with the smallest edit distance to `word`, if that distance is small
    /// enough to be a typo: at most a third of the word's length, and at least 1 (or 2
    /// for words of 4 characters or more). Comparison ignores case; ties go to the
    /// earlier candidate.
    static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(word.count >= 4 ? 2 : 1, word.count / 3)
        var best: (candidate: String, distance: Int)?
        let lowered = Array(word.lowercased().unicodeScalars)
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased().unicodeScalars))
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (optimal
    /// string alignment), so `shcedule` is one step from `schedule`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    /// `did you mean 'x'? ` when there is a near candidate, else the empty string.
    static func suggestion(for word: String, in candidates: some Sequence<String>) -> String {
        nearest(to: word, in: candidates).map { "did you mean '\($0)'? " } ?? ""
    }
}
