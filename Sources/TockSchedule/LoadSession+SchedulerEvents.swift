import TockCron
import Yams

extension LoadSession {
    /// Reads `scheduler_events:`, Frappe's `hooks.py` shape: a map from frequency to a
    /// list of jobs, and `cron:` a map from expression to a list of jobs.
    mutating func readSchedulerEvents(_ node: Node, fileZone: FileZone) {
        let names = Frequency.allCases.map(\.rawValue)
        guard let pairs = mapEntries(node, expected: "a map from frequency (\(names.joined(separator: ", "))) to a list of jobs")
        else { return }
        let zone = zone(own: nil, ownWasInvalid: false, file: fileZone)
        for (key, value) in pairs {
            guard let name = keyText(key) else { continue }
            guard let frequency = Frequency(rawValue: name) else {
                error(
                    "unknown frequency '\(name)'; " + NearestMatch.suggestion(for: name, in: names)
                        + "allowed: " + names.joined(separator: ", "), at: key)
                continue
            }
            if frequency == .cron {
                readCronEvents(value, zone: zone)
                continue
            }
            let jobs = jobList(value, under: name)
            guard !jobs.isEmpty else { continue }
            let cron = frequencyCron(frequency, at: key)
            let queueIsKnown = checkFrequencyQueue(frequency, at: key)
            for (job, jobNode) in jobs {
                addListedEvent(
                    "\(job)@\(frequency)", job: job, at: jobNode, scheduleText: name, cron: cron,
                    cronNode: key, frequency: frequency, zone: zone, usable: queueIsKnown)
            }
        }
    }

    /// `cron:` under `scheduler_events`: a map from expression to a list of jobs.
    private mutating func readCronEvents(_ node: Node, zone: CronTimeZone?) {
        guard let pairs = mapEntries(node, expected: "a map from cron expression to a list of jobs") else { return }
        for (key, value) in pairs {
            guard let expression = keyText(key) else { continue }
            // A bad expression is reported once per job; `finish()` drops the repeats.
            for (job, jobNode) in jobList(value, under: "the cron expression") {
                addListedEvent(
                    "\(job)@cron:\(expression)", job: job, at: jobNode, scheduleText: expression,
                    cron: expression, cronNode: key, frequency: .cron, zone: zone, usable: true)
            }
        }
    }

    /// One event of a `scheduler_events` list. `zone` is `nil` when the file's zone is
    /// unknown, `cron` when the frequency has no expression, `usable` false when
    /// something else is wrong with the frequency (all already reported).
    private mutating func addListedEvent(
        _ name: String, job: String, at jobNode: Node, scheduleText: String, cron: String?,
        cronNode: Node, frequency: Frequency, zone: CronTimeZone?, usable: Bool
    ) {
        let location = location(of: jobNode)
        declareEvent(name, at: location)
        jobReferences.append((job, location))
        guard let cron, let expression = expression(cron, at: cronNode, eventName: name, zone: zone), let zone, usable
        else { return }
        let event = ScheduledEvent(
            name: name, job: job, scheduleText: scheduleText, expression: expression, timeZone: zone,
            frequency: frequency, queue: frequency.queue, location: location)
        events.append(EventDraft(event: event, hasOwnQueue: false, hasOwnTimeout: false, fileIndex: files.count - 1))
    }

    /// A list of job names (an empty value is an empty list).
    private mutating func jobList(_ node: Node, under owner: String) -> [(String, Node)] {
        if node.isNull { return [] }
        guard let items = node.sequence else {
            let found = node.text.map { "'\($0)'" } ?? node.kindDescription
            error("expected a list of job names under \(owner), such as [app.tasks.cleanup], found \(found)", at: node)
            return []
        }
        var jobs: [(String, Node)] = []
        for item in items {
            guard let text = item.text, !text.isEmpty else {
                error("expected a job name, found \(item.kindDescription)", at: item)
                continue
            }
            jobs.append((text, item))
        }
        return jobs
    }
}
