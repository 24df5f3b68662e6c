import ArgumentParser
import Foundation
import TockCore
import TockSchedule
import TockScheduler
import TockValues

/// `tock events`: the declared events with what the scheduler did with them.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List events (schedule, queue, last fire, last job, next fire); disable, enable or run one.",
        subcommands: [EventsListCommand.self, EventsDisableCommand.self, EventsEnableCommand.self, EventsRunCommand.self],
        defaultSubcommand: EventsListCommand.self
    )
}

struct EventsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every event.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let set = try EventsSupport.load(scheduleOptions, client.configuration)
        let states = try await client.backend.eventStates()
        let now = Date()
        var objects: [JSONValue] = []
        var rows = [["EVENT", "SCHEDULE", "QUEUE", "ENABLED", "LAST FIRE", "LAST JOB", "SKIPPED", "NEXT FIRE"]]
        for event in set.events {
            let state = states[event.name]
            let enabled = state?.enabledOverride ?? event.enabled
            let lastJob = try await state?.lastJob.asyncMap { try await client.backend.job($0) } ?? nil
            let next = event.schedule.next(after: now)
            let zone = event.timeZone
            func local(_ date: Date?) -> String? { date.map { zone.localTime(at: Int($0.timeIntervalSince1970)).iso8601 } }
            objects.append(EventJSON.object(event, state: state, lastJob: lastJob, now: now))
            rows.append([
                event.name, event.scheduleText, event.queue,
                enabled ? "yes" : (state?.enabledOverride == false ? "no (disabled)" : "no"),
                local(state?.lastFire) ?? "-", lastJob.map { "\($0.id) \($0.status)" } ?? (state?.lastJob?.rawValue ?? "-"),
                state.map { $0.skippedFires == 0 ? "0" : "\($0.skippedFires) (last: \($0.lastSkipReason?.rawValue ?? "?"))" } ?? "0",
                event.isReboot ? "at boot" : (local(next) ?? "never"),
            ])
        }
        if json { return try JSONOutput.print(.array(objects)) }
        print(TextTable.render(rows))
    }
}

/// Disable or enable one event, stored in the backend (survives restarts and reloads).
protocol EventSwitchCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    var scheduleOptions: ScheduleOptions { get }
    var name: String { get }
    var enabled: Bool { get }
}

extension EventSwitchCommand {
    func run() async throws {
        let client = try global.client()
        let set = try EventsSupport.load(scheduleOptions, client.configuration)
        guard set.event(named: name) != nil else { throw EventsSupport.unknown(name, in: set) }
        try await client.backend.setEventEnabled(name, enabled: enabled)
        print("\(name) \(enabled ? "enabled" : "disabled")")
    }
}

struct EventsDisableCommand: EventSwitchCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Stop firing an event (whatever its file says).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions
    @Argument(help: "The event name.") var name: String
    var enabled: Bool { false }
}

struct EventsEnableCommand: EventSwitchCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Fire an event again.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions
    @Argument(help: "The event name.") var name: String
    var enabled: Bool { true }
}

struct EventsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Enqueue an event's job now, outside its schedule; print the job id.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions
    @Argument(help: "The event name.") var name: String

    func run() async throws {
        let client = try global.client()
        let set = try EventsSupport.load(scheduleOptions, client.configuration)
        guard let event = set.event(named: name) else { throw EventsSupport.unknown(name, in: set) }
        let outcome = try await client.enqueue(EnqueueRequest(event, declarations: set.declarations, origin: "manual:\(event.name)"))
        print(outcome.job.id)
    }
}

enum EventsSupport {
    static func load(_ options: ScheduleOptions, _ configuration: Configuration) throws -> ScheduleSet {
        let result = ScheduleArguments.load(options.schedules, zone: configuration.timeZone, configuration: configuration)
        if result.hasErrors {
            let paths = ScheduleArguments.paths(options.schedules, configuration).joined(separator: " ")
            throw TockError.invalidArgument("the schedule files have errors; `tock check \(paths)` lists them")
        }
        return result.schedules
    }

    static func unknown(_ name: String, in set: ScheduleSet) -> TockError {
        .invalidArgument("no event named '\(name)' in \(set.files.joined(separator: ", ")); `tock events` lists them")
    }
}
