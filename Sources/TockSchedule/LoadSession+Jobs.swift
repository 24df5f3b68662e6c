import TockValues
import Yams

extension LoadSession {
    static let jobKeys = ["command", "timeout", "queue", "retry", "environment"]
    static let retryKeys = ["max", "intervals"]
    static let commandExample = "a list of the program and its arguments, such as [\"/usr/bin/env\", \"cleanup\"]"

    /// Reads `jobs:`: a map from job name to its command and options.
    mutating func readJobs(_ node: Node) {
        guard let pairs = mapEntries(node, expected: "a map from job name to its command, timeout, queue and retry")
        else { return }
        for (key, value) in pairs {
            guard let name = keyText(key) else { continue }
            let location = location(of: key)
            declareJob(name, at: location)
            if let job = readJob(name, value, at: key) {
                jobs.append(job)
            }
        }
    }

    private mutating func readJob(_ name: String, _ node: Node, at key: Node) -> JobDefinition? {
        let before = errorCount
        if node.isNull {
            error("job '\(name)' has no command; expected command: \(Self.commandExample)", at: key)
            return nil
        }
        let fields = keyedFields(of: node, allowed: Self.jobKeys, in: "a job")
        guard node.mapping != nil else { return nil }
        var command: [String]?
        if let field = fields["command"] {
            command = self.command(field.value)
        } else {
            error("job '\(name)' has no command; expected command: \(Self.commandExample)", at: key)
        }
        let timeout = fields["timeout"].flatMap { duration($0.value, for: "timeout", allowZero: false) }
        let queue = fields["queue"].flatMap { self.queue($0.value) }
        let retry = fields["retry"].flatMap { self.retry($0.value) }
        let environment = fields["environment"].flatMap { self.environment($0.value) } ?? [:]
        guard errorCount == before, let command else { return nil }
        return JobDefinition(
            name: name, command: command, timeout: timeout, queue: queue, retry: retry, environment: environment,
            location: location(of: key))
    }

    /// `environment:`: a map from variable name to its value (a string or a number).
    private mutating func environment(_ node: Node) -> [String: String]? {
        guard let pairs = mapEntries(node, expected: "a map from variable name to value, such as {INVOICE_DIR: /srv/invoices}")
        else { return nil }
        var variables: [String: String] = [:]
        for (key, value) in pairs {
            guard let name = keyText(key) else { continue }
            let first = name.unicodeScalars.first!
            guard name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }),
                !("0"..."9").contains(first)
            else {
                error("environment variable name '\(name)' may use only letters, digits and '_', and not start with a digit", at: key)
                continue
            }
            guard !name.hasPrefix("TOCK_") else {
                error("environment variable '\(name)': names starting with TOCK_ are set by the worker", at: key)
                continue
            }
            guard let text = value.text ?? (value.isNull ? "" : nil) else {
                error("environment variable '\(name)' must be a string, found \(value.kindDescription)", at: value)
                continue
            }
            variables[name] = text
        }
        return variables
    }

    /// `command:`: a non-empty list of strings (argv; no shell).
    private mutating func command(_ node: Node) -> [String]? {
        guard let items = node.sequence, !items.isEmpty else {
            let found = node.sequence != nil ? "an empty list"
                : node.text.map { "the string '\($0)' (commands do not go through a shell)" } ?? node.kindDescription
            error("'command' must be \(Self.commandExample), found \(found)", at: node)
            return nil
        }
        var argv: [String] = []
        for item in items {
            guard let text = item.text else {
                error("each 'command' item must be a string, found \(item.kindDescription)", at: item)
                return nil
            }
            argv.append(text)
        }
        guard !argv[0].isEmpty else {
            error("the program (the first 'command' item) must not be empty", at: items[0])
            return nil
        }
        return argv
    }

    /// `retry: {max: 3, intervals: [30s, 5m]}`.
    private mutating func retry(_ node: Node) -> RetryPolicy? {
        let fields = keyedFields(of: node, allowed: Self.retryKeys, in: "a retry")
        guard node.mapping != nil || node.isNull else { return nil }
        guard let maxField = fields["max"] else {
            error("'retry' needs 'max', the number of retries (such as max: 3)", at: node)
            return nil
        }
        guard maxField.value.tagName == .int, let max = maxField.value.resolved.int, max >= 1 else {
            error("'max' must be a whole number of retries, 1 or more, found \(maxField.value.text.map { "'\($0)'" } ?? maxField.value.kindDescription)", at: maxField.value)
            return nil
        }
        var intervals: [Int] = []
        if let field = fields["intervals"] {
            let items = field.value.sequence.map(Array.init) ?? [field.value]
            for item in items {
                guard let seconds = duration(item, for: "intervals", allowZero: true) else { return nil }
                intervals.append(seconds)
            }
        }
        return RetryPolicy(max: max, intervals: intervals)
    }
}
