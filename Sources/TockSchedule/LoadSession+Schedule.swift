import Foundation
import TockCron
import Yams

extension LoadSession {
    /// The longest a schedule may go without firing: 100 years of 365.2425 days.
    static let hundredYears: TimeInterval = 100 * 365.2425 * 86_400

    /// Parses the cron expression `text`, written at `node`, for the event `name`
    /// (which `H` terms hash); reports a syntax error at its column in the file, and a
    /// schedule with no fire time within 100 years of `options.now`.
    mutating func expression(_ text: String, at node: Node, eventName name: String, zone: CronTimeZone?) -> CronExpression? {
        let expression: CronExpression
        // Without `H` the event's name does not matter: one parse serves every event
        // with the same text (large files repeat a handful of schedules).
        let hashed = text.utf8.contains(UInt8(ascii: "H")) || text.utf8.contains(UInt8(ascii: "h"))
        do {
            if !hashed, let parsed = parsedExpressions[text] {
                expression = parsed
            } else {
                expression = try CronExpression(text, hashKey: name)
                if !hashed { parsedExpressions[text] = expression }
            }
        } catch {
            let field = error.field.map { "\($0) field: " } ?? ""
            self.error("bad cron expression \"\(text)\": \(field)\(error.reason)", at: cronLocation(node, column: error.column))
            return nil
        }
        guard !expression.isReboot else { return expression }
        let schedule = CronSchedule(expression, timeZone: zone ?? .utc)
        let now = options.now
        let next = schedule.next(after: now)
        if next == nil || next! > now.addingTimeInterval(Self.hundredYears) {
            let when = next.map { "its next fire time is \(Self.format($0)), more than 100 years away" }
                ?? "it never fires after \(Self.format(now))"
            error("schedule \"\(text)\" does not fire within the next 100 years: \(when)", at: node)
            return nil
        }
        return expression
    }

    /// Where column `column` of an expression written at `node` is in the file: past
    /// the opening quote of a quoted scalar. Block scalars (`|`, `>`) start on the next
    /// line, so those errors point at the node itself.
    func cronLocation(_ node: Node, column: Int) -> FileLocation {
        var location = location(of: node)
        guard let scalar = node.scalar else { return location }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: location.column += column
        case .plain, .any: location.column += column - 1
        case .literal, .folded: break
        }
        return location
    }

    private static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}

extension LoadSession {
    /// An event's `schedule:`: a frequency name (its cron expression), else a cron
    /// expression or macro.
    mutating func eventSchedule(
        _ text: String, at node: Node, eventName name: String, zone: CronTimeZone?
    ) -> (expression: CronExpression, frequency: Frequency?)? {
        let frequencies = Frequency.allCases.filter { $0 != .cron }.map(\.rawValue)
        if let frequency = Frequency(rawValue: text) {
            guard frequency != .cron else {
                error("'cron' is not a schedule by itself; write the cron expression, such as \"0/15 * * * *\"", at: node)
                return nil
            }
            guard let cron = frequencyCron(frequency, at: node) else { return nil }
            return expression(cron, at: node, eventName: name, zone: zone).map { ($0, frequency) }
        }
        if text.allSatisfy({ $0.isLetter || $0 == "_" }) {
            error(
                "unknown schedule '\(text)'; " + NearestMatch.suggestion(for: text, in: frequencies)
                    + "expected a cron expression, a macro such as \"@daily\", or a frequency: "
                    + frequencies.joined(separator: ", "), at: node)
            return nil
        }
        return expression(text, at: node, eventName: name, zone: zone).map { ($0, nil) }
    }

    /// The cron expression of `frequency`; reports an `all` whose scheduler interval
    /// cron cannot express.
    mutating func frequencyCron(_ frequency: Frequency, at node: Node) -> String? {
        guard let cron = frequency.cronText(schedulerInterval: options.schedulerInterval) else {
            error(
                "'all' runs every scheduler interval, and \(options.schedulerInterval) s has no cron form; "
                    + "the interval must divide a minute, an hour or a day evenly (such as 30, 60, 240 or 3600 seconds)",
                at: node)
            return nil
        }
        return cron
    }

    /// Whether the queue a frequency implies is one the service has; reports it if not.
    mutating func checkFrequencyQueue(_ frequency: Frequency, at node: Node) -> Bool {
        guard !options.queues.contains(frequency.queue) else { return true }
        error(
            "'\(frequency)' sends its jobs to queue '\(frequency.queue)', which is not configured; "
                + "known queues: " + options.queues.joined(separator: ", ") + "; or set the event's queue", at: node)
        return false
    }
}
