import ArgumentParser
import Foundation
import TockCore
import TockCron
import TockSchedule

/// `tock next`: the dry run. Prints when events fire next; enqueues nothing.
struct NextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Show the next fire times of the declared events (or of one expression), without enqueueing.",
        discussion: """
            With paths (default: schedules/), prints the merged timeline of every event: event, \
            job, queue, local time with offset, UTC and the schedule's description. Disabled \
            events are listed, marked as disabled.

            With --expr, does the same for one cron expression, like `systemd-analyze calendar \
            --iterations`.

            TIME is YYYY-MM-DDTHH:MM[:SS] on the wall clock of the zone in force (--zone), or \
            with an explicit offset (Z, +02:00).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Schedule files or directories (default: the configuration's, schedules/).")
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("A cron expression to evaluate instead of schedule files.", valueName: "EXPR"))
    var expr: String?

    @Option(name: .long, help: ArgumentHelp("The time zone of --expr, of --from/--until, and of events that name none (default: the configuration's, UTC).", valueName: "TZ"))
    var zone: String?

    @Option(name: .long, help: ArgumentHelp("With --expr: the event name that H terms hash.", valueName: "NAME"))
    var name: String?

    /// The table is built before it is printed (columns are aligned), so the count is bounded.
    static let countRange = 1...100_000

    @Option(name: .long, help: "How many fire times to show (1…100000).")
    var count: Int = 10

    @Option(name: .long, help: ArgumentHelp("Start after this time (default: now).", valueName: "TIME"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Show no fire time after this time.", valueName: "TIME"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Only this event (repeatable).", valueName: "NAME"))
    var event: [String] = []

    @Flag(name: .long, help: "Print one JSON array of {event, job, queue, at, utc, …}.")
    var json = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard count <= Self.countRange.upperBound else {
            throw ValidationError("--count must be between 1 and \(Self.countRange.upperBound), not \(count); narrow the time with --from and --until for more")
        }
        if expr != nil, !paths.isEmpty || !event.isEmpty {
            throw ValidationError("--expr evaluates one expression; it cannot be combined with paths or --event")
        }
    }

    func run() async throws {
        let configuration = try global.configuration()
        let zoneName = self.zone ?? configuration.timeZone
        let zone = try CronTimeZone.argument(zoneName)
        let start = try from.map { text throws(ValidationError) in try TimeArgument(parsing: text).instant(in: zone) }
            ?? Int(Date().timeIntervalSince1970)
        let end = try until.map { text throws(ValidationError) in try TimeArgument(parsing: text).instant(in: zone) }
        if let expr {
            try runExpression(expr, zone: zone, start: start, end: end)
        } else {
            try runFiles(zone: zone, zoneName: zoneName, configuration: configuration, start: start, end: end)
        }
    }

    private func runExpression(_ text: String, zone: CronTimeZone, start: Int, end: Int?) throws {
        let expression: CronExpression
        do {
            expression = try CronExpression(text, hashKey: name)
        } catch {
            throw ValidationError("invalid cron expression '\(text)': \(error)")
        }
        let schedule = CronSchedule(expression, timeZone: zone)
        var rows: [FireRow] = []
        var cursor = start
        while rows.count < count, let next = schedule.nextInstant(after: cursor), end.map({ next <= $0 }) ?? true {
            rows.append(
                FireRow(
                    event: name, job: nil, queue: nil, instant: next, zone: zone, schedule: text,
                    summary: expression.summary, enabled: true, jitter: 0))
            cursor = next
        }
        if json { return try JSONOutput.print(encodable: rows) }
        print("expression:  \(text)")
        print("time zone:   \(zone.identifier)")
        print("description: \(expression.summary)")
        if expression.isReboot {
            print("fires once at every boot; it has no calendar times")
            return
        }
        if rows.isEmpty { print("no fire time after \(zone.localTime(at: start))") }
        let table = rows.enumerated().map { index, row in
            [String(index + 1).leftPadded(to: String(count).count), row.local.description, CronTimeZone.utcISO8601(row.instant)]
        }
        print(TextTable.render(table))
    }

    private func runFiles(zone: CronTimeZone, zoneName: String, configuration: Configuration, start: Int, end: Int?) throws {
        let result = ScheduleArguments.load(paths, zone: zoneName, configuration: configuration)
        // Problems go to stderr, so that --json output stays parseable; the events that
        // loaded are still shown, and the exit status says that something was wrong.
        for problem in result.problems {
            FileHandle.standardError.write(Data("\(TerminalText.escaped(problem.description))\n".utf8))
        }
        let set = result.schedules
        for name in event where set.event(named: name) == nil {
            throw ValidationError("no event named '\(name)' in \(ScheduleArguments.paths(paths, configuration).joined(separator: " ")); `tock next` without --event lists them all")
        }
        let wanted = Set(event)
        let fires = set.upcomingFires(after: start, until: end, limit: count) { wanted.isEmpty || wanted.contains($0.name) }
        let rows = fires.map { fire in
            FireRow(
                event: fire.event.name, job: fire.event.job, queue: fire.event.queue, instant: fire.instant,
                zone: fire.event.timeZone, schedule: fire.event.scheduleText, summary: fire.event.expression.summary,
                enabled: fire.event.enabled, jitter: fire.event.jitterOffset)
        }
        if json {
            try JSONOutput.print(encodable: rows)
        } else {
            printTimeline(rows, reboot: set.events.filter { $0.isReboot && (wanted.isEmpty || wanted.contains($0.name)) }, start: start, zone: zone)
        }
        if result.hasErrors { throw ExitCode(1) }
    }

    private func printTimeline(_ rows: [FireRow], reboot: [ScheduledEvent], start: Int, zone: CronTimeZone) {
        for event in reboot {
            print("at boot: \(event.name) → \(event.job) on \(event.queue)\(event.enabled ? "" : " (disabled)")")
        }
        if rows.isEmpty {
            print("no fire time after \(zone.localTime(at: start))")
            return
        }
        var table = [["LOCAL", "UTC", "EVENT", "JOB", "QUEUE", "SCHEDULE"]]
        for row in rows {
            var description = row.summary
            if row.jitter > 0 { description += " (+\(row.jitter)s jitter)" }
            if !row.enabled { description = "DISABLED — " + description }
            table.append([
                row.local.description, CronTimeZone.utcISO8601(row.instant), row.event ?? "", row.job ?? "",
                row.queue ?? "", description,
            ])
        }
        print(TextTable.render(table))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
