import TockCron
import TockValues
import Yams

extension LoadSession {
    static let eventKeys = [
        "job", "schedule", "queue", "timeout", "args", "timezone", "catch_up", "overlap", "jitter", "enabled",
    ]

    /// Reads `events:`: a map from event name to its job, schedule and options.
    mutating func readEvents(_ node: Node, fileZone: FileZone) {
        guard let pairs = mapEntries(node, expected: "a map from event name to its job, schedule and options")
        else { return }
        for (key, value) in pairs {
            guard let name = keyText(key) else { continue }
            declareEvent(name, at: location(of: key))
            readEvent(name, value, at: key, fileZone: fileZone)
        }
    }

    private mutating func readEvent(_ name: String, _ node: Node, at key: Node, fileZone: FileZone) {
        let before = errorCount
        if node.isNull {
            error("event '\(name)' has no job and no schedule; expected job: and schedule:", at: key)
            return
        }
        let fields = keyedFields(of: node, allowed: Self.eventKeys, in: "an event")
        guard node.mapping != nil else { return }

        var job: String?
        if let field = fields["job"] {
            job = string(field.value, for: "job", expected: "a job name")
            if let job { jobReferences.append((job, location(of: field.value))) }
        } else {
            error("event '\(name)' has no 'job'; expected the name of the job to enqueue", at: key)
        }
        let queue = fields["queue"].flatMap { self.queue($0.value) }
        let timeout = fields["timeout"].flatMap { duration($0.value, for: "timeout", allowZero: false) }
        let args = fields["args"].flatMap { json($0.value) }
        // What enqueue would refuse (JobLimits), reported here rather than at every fire.
        if let args, let field = fields["args"],
            let problem = JobLimits.nestingProblem(args, field: "'args'") ?? JobLimits.sizeProblem(args: [args], kwargs: [:])
        {
            error("event '\(name)': \(problem)", at: field.value)
        }
        let ownZone = fields["timezone"].flatMap { timeZone($0.value) }
        let catchUp = fields["catch_up"].flatMap { choice($0.value, for: "catch_up", CatchUpPolicy.names, CatchUpPolicy.init(name:)) }
        let overlap = fields["overlap"].flatMap { choice($0.value, for: "overlap", OverlapPolicy.names, OverlapPolicy.init(name:)) }
        let jitter = fields["jitter"].flatMap { duration($0.value, for: "jitter", allowZero: true) }
        let enabled = fields["enabled"].flatMap { bool($0.value, for: "enabled") }
        let zone = zone(own: ownZone, ownWasInvalid: fields["timezone"] != nil && ownZone == nil, file: fileZone)

        var parsed: (expression: CronExpression, frequency: Frequency?)?
        var scheduleText: String?
        if let field = fields["schedule"] {
            scheduleText = string(field.value, for: "schedule", expected: "a cron expression, a macro or a frequency name")
            if let scheduleText {
                parsed = eventSchedule(scheduleText, at: field.value, eventName: name, zone: zone)
            }
        } else {
            error("event '\(name)' has no 'schedule'; expected a cron expression, a macro or a frequency name", at: key)
        }
        if queue == nil, let frequency = parsed?.frequency, let field = fields["schedule"] {
            _ = checkFrequencyQueue(frequency, at: field.value)
        }

        guard errorCount == before, let job, let parsed, let scheduleText, let zone else { return }
        if catchUp == .all, overlap ?? .skip == .skip, let field = fields["catch_up"] {
            problems.append(
                ScheduleProblem(
                    .note, at: location(of: field.value),
                    "catch_up: all enqueues every instant missed while no scheduler ran, even while the event's previous job is pending; "
                        + "overlap: skip\(overlap == nil ? " (the default)" : "") applies to fires that come due on time"))
        }
        let event = ScheduledEvent(
            name: name, job: job, scheduleText: scheduleText, expression: parsed.expression, timeZone: zone,
            frequency: parsed.frequency, queue: queue ?? parsed.frequency?.queue ?? "default", timeout: timeout,
            args: args, catchUp: catchUp ?? .latest, overlap: overlap ?? .skip, jitter: jitter ?? 0,
            enabled: enabled ?? true, location: location(of: key))
        events.append(
            EventDraft(event: event, hasOwnQueue: queue != nil, hasOwnTimeout: timeout != nil, fileIndex: files.count - 1))
    }

    /// One of a fixed set of names (`catch_up: latest`).
    private mutating func choice<Value>(
        _ node: Node, for key: String, _ names: [String], _ make: (String) -> Value?
    ) -> Value? {
        let expected = names.dropLast().joined(separator: ", ") + " or " + names.last!
        guard let text = node.text, let value = make(text) else {
            let found = node.text.map { "'\($0)'" } ?? node.kindDescription
            error(
                "unknown \(key) \(found); " + NearestMatch.suggestion(for: node.text ?? "", in: names)
                    + "expected \(expected)", at: node)
            return nil
        }
        return value
    }
}
