import Yams

/// Turns a Yams parse error into a problem with a position and a message a person can
/// act on, recognising the mistakes schedule files invite: an unquoted cron expression
/// starting with `*` (an alias to YAML), an unquoted macro starting with `@`, tabs.
enum YAMLErrorReport {
    static func problem(for error: any Error, yaml: String, file: String) -> ScheduleProblem {
        let (mark, message) = describe(error, yaml: yaml)
        return ScheduleProblem(.error, at: FileLocation(file: file, line: mark.line, column: mark.column), message)
    }

    private static func describe(_ error: any Error, yaml: String) -> (Position, String) {
        let start = Position(line: 1, column: 1)
        guard let error = error as? YamlError else { return (start, "cannot parse the YAML: \(error)") }
        switch error {
        case .scanner(let context, let problem, let yamsMark, _):
            let mark = Position(yamsMark)
            if let context, context.text.contains("scanning an alias") {
                let text = expression(at: Position(context.mark), in: yaml)
                return (
                    Position(context.mark),
                    "YAML reads '*' as an alias; quote the cron expression: \"\(text)\""
                )
            }
            switch character(at: mark, in: yaml) {
            case "@":
                return (mark, "YAML does not allow '@' to start a plain value; quote the macro: \"\(expression(at: mark, in: yaml))\"")
            case "\t":
                return (mark, "YAML does not allow tabs for indentation; indent with spaces")
            default:
                return (mark, syntax(problem, context))
            }
        case .parser(let context, let problem, let yamsMark, _):
            let mark = Position(yamsMark)
            return (mark, syntax(problem, context))
        case .composer(let context, let problem, let yamsMark, _):
            let mark = Position(yamsMark)
            if problem.contains("undefined alias") {
                let text = expression(at: mark, in: yaml)
                return (
                    mark,
                    "undefined alias '\(text.prefix { !$0.isWhitespace })'; a YAML alias needs an anchor (&name) "
                        + "before it; if this is a cron expression, quote it: \"\(text)\"")
            }
            if problem.contains("another document") {
                return (mark, "a schedule file holds one YAML document; found a second one here")
            }
            return (mark, syntax(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            if let repeated = repeatedKey(key, after: Position(context.mark), in: yaml) {
                return (repeated, "duplicate key '\(key)'; it is also at line \(context.mark.line), column \(context.mark.column); each key may appear once in a map")
            }
            return (Position(context.mark), "duplicate key '\(key)' in this map; each key may appear once")
        case .reader(let problem, let offset, _, _):
            return (mark(ofCharacter: offset ?? 0, in: yaml), "cannot read the YAML: \(problem)")
        default:
            return (start, "cannot parse the YAML: \(error)")
        }
    }

    private static func syntax(_ problem: String, _ context: YamlError.Context?) -> String {
        var message = "YAML syntax error: \(problem)"
        if let context {
            message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        return message
    }

    /// The text of line `mark.line` from column `mark.column`, without a trailing
    /// comment or a `: …` that makes it a key, trimmed: what was meant as a cron expression.
    static func expression(at mark: Position, in yaml: String) -> String {
        var text = Substring(rest(of: mark, in: yaml))
        if let comment = text.range(of: " #") { text = text[..<comment.lowerBound] }
        if let colon = text.range(of: ": ") { text = text[..<colon.lowerBound] }
        while text.last == " " { text.removeLast() }
        if text.hasSuffix(":") { text = text.dropLast() }
        return String(text).trimmingTrailingSpace
    }

    /// A 1-based line and column (Yams' `Mark` cannot be made outside Yams).
    struct Position {
        var line: Int
        var column: Int

        init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        init(_ mark: Mark) {
            self.init(line: mark.line, column: mark.column)
        }
    }

    private static func character(at mark: Position, in yaml: String) -> Character? {
        rest(of: mark, in: yaml).first
    }

    /// Line `mark.line` from column `mark.column` (columns count Unicode scalars).
    private static func rest(of mark: Position, in yaml: String) -> String {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return "" }
        var line = lines[mark.line - 1].unicodeScalars
        if line.last == "\r" { line.removeLast() }
        return String(String.UnicodeScalarView(line.dropFirst(max(0, mark.column - 1))))
    }

    /// Where `key` is written again in the same block map: the first later line that
    /// has it at the same column, preceded only by spaces.
    private static func repeatedKey(_ key: String, after first: Position, in yaml: String) -> Position? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            guard scalars.count > indent, scalars[..<indent].allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(String.UnicodeScalarView(scalars[indent...]))
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return Position(line: index + 1, column: first.column)
                }
            }
        }
        return nil
    }

    /// The line and column of the `offset`-th character.
    private static func mark(ofCharacter offset: Int, in yaml: String) -> Position {
        var line = 1
        var column = 1
        for character in yaml.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Position(line: line, column: column)
    }
}
