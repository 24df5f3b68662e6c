/// The limits of what a job may hold, defined once: `JobClient` refuses anything beyond
/// them at enqueue (the one path of the CLI, the scheduler and the API), so that every
/// backend can read back what it stored, and `tock check` reports them in schedule files.
/// `docs/jobs.md` ("Limits") lists them.
public enum JobLimits {
    /// How deep `args` and `kwargs` may nest, counting the array or object itself
    /// (`[1]` is 1, `[[1]]` is 2). Well inside what the readers accept: ``JSONParser``
    /// (``JSONParser/maximumDepth``), Foundation's `JSONSerialization` (512) and Python's
    /// `json` (about 1,000), with room for RQ's `[name, null, args, kwargs]` wrapper.
    public static let maximumNesting = 64

    /// The most bytes `args` and `kwargs` may take together as compact JSON (1 MiB).
    public static let maximumArgumentBytes = 1 << 20

    /// How long a job name may be, in characters (1 to 200); control characters are refused.
    public static let maximumNameLength = 200

    /// The longest duration a job carries (timeout, TTL, retry interval): 100 years in
    /// seconds, as ``DurationText`` reads at most.
    public static let maximumSeconds = 100 * 366 * 86_400

    /// The most retries a job may have.
    public static let maximumRetries = 10_000

    /// The most jobs one listing returns (`tock jobs --limit`).
    public static let maximumListing = 100_000

    /// What is wrong with `name` as a job name, or `nil` when it is fine.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a job needs a name, e.g. app.tasks.send_invoices" }
        let count = name.unicodeScalars.count
        if count > maximumNameLength {
            return "job name '\(name.prefix(40))…' is \(count) characters long; at most \(maximumNameLength) are accepted"
        }
        if let bad = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace && $0 != " " }) {
            return "job name '\(name.prefix(80))' contains the control character U+\(String(bad.value, radix: 16, uppercase: true)); "
                + "use printable characters, e.g. app.tasks.send_invoices"
        }
        return nil
    }

    /// What is wrong with `value` (a job's `args` or `kwargs`, named `field`) as to nesting,
    /// or `nil` when it nests at most ``maximumNesting`` deep. Stops looking at the limit,
    /// so any depth is safe to check.
    public static func nestingProblem(_ value: JSONValue, field: String) -> String? {
        guard exceedsNesting(value, depth: 1) else { return nil }
        return "\(field) nests deeper than \(maximumNesting) levels; at most \(maximumNesting) are accepted"
    }

    /// What is wrong with the size of `args` and `kwargs` together, or `nil`.
    public static func sizeProblem(args: [JSONValue], kwargs: [String: JSONValue]) -> String? {
        let bytes = JSONText.encode(.array(args)).utf8.count + JSONText.encode(.object(kwargs)).utf8.count
        guard bytes > maximumArgumentBytes else { return nil }
        return "args and kwargs take \(bytes) bytes as JSON; at most \(maximumArgumentBytes) (1 MiB) are accepted"
    }

    private static func exceedsNesting(_ value: JSONValue, depth: Int) -> Bool {
        switch value {
        case .array(let elements):
            if depth > maximumNesting { return true }
            return elements.contains { exceedsNesting($0, depth: depth + 1) }
        case .object(let members):
            if depth > maximumNesting { return true }
            return members.values.contains { exceedsNesting($0, depth: depth + 1) }
        default:
            return false
        }
    }
}
