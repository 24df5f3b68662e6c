import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TockBackends
import TockConfiguration
import TockCore
import TockSchedule
import TockScheduler
import TockSystemd

/// `tock scheduler`: the daemon that enqueues due jobs, and its operations.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the scheduler daemon (enqueues due jobs; never runs them), or look at and steer it.",
        subcommands: [SchedulerRunCommand.self, SchedulerStatusCommand.self, SchedulerPauseCommand.self, SchedulerResumeCommand.self],
        defaultSubcommand: SchedulerRunCommand.self
    )
}

struct SchedulerRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the scheduler in the foreground (systemd Type=notify).",
        discussion: """
            SIGHUP re-reads the schedule files (a file with errors keeps the previous schedule \
            running); SIGTERM stops cleanly. Several schedulers may run on one backend: one is \
            the leader, the others take over within the lease time.
            """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var scheduleOptions: ScheduleOptions

    @Option(name: .long, help: ArgumentHelp("The leader lease: a standby takes over this long after the leader dies.", valueName: "DURATION"))
    var leaseDuration = "15s"

    @Option(name: .long, help: "With catch_up: all, at most this many missed fires per event after downtime.")
    var catchUpCap = 100

    func run() async throws {
        let lease = try DurationArgument.seconds(leaseDuration, flag: "--lease-duration")
        let configuration = try global.configuration()
        let logger = Logger(label: "tock.scheduler")
        let (configPath, backendFlag) = (global.config, global.backend)
        let started = configuration
        let load: @Sendable (_ reload: Bool) -> (plan: SchedulePlan?, problems: [ScheduleProblem]) = { reload in
            // A reload reads tock.yaml again with the schedule files: a new queue and an
            // event on it arrive together. The backend cannot change without a restart.
            var current = started
            if reload {
                do throws(ConfigurationError) {
                    current = try GlobalOptions.configuration(config: configPath, backend: backendFlag)
                } catch {
                    let location = FileLocation(file: error.source, line: error.line, column: error.column)
                    return (nil, [ScheduleProblem(.error, at: location, error.message)])
                }
                if current.backend != started.backend {
                    let problem = "the backend changed (\(started.backend) → \(current.backend)); that needs a restart, not a reload"
                    return (nil, [ScheduleProblem(.error, at: FileLocation(file: configPath ?? "tock.yaml", line: 0, column: 0), problem)])
                }
            }
            let paths = ScheduleArguments.paths(scheduleOptions.schedules, current)
            let result = ScheduleArguments.load(paths, zone: current.timeZone, configuration: current)
            defer { MemoryTrim.returnFreedMemory() }
            return (result.hasErrors ? nil : SchedulePlan(result.schedules, configuration: current), result.problems)
        }
        let (plan, problems) = load(false)
        for problem in problems { FileHandle.standardError.write(Data("\(TerminalText.escaped(problem.description))\n".utf8)) }
        guard let plan else { throw ExitCode.configurationError }
        let backend = try BackendOpener.open(configuration)
        let observer = SystemdObserver()
        let scheduler = Scheduler(
            backend: backend, configuration: configuration, plan: plan,
            options: Scheduler.Options(leaseDuration: TimeInterval(lease), catchUpCap: catchUpCap), observer: observer,
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: StoppingNotifier(notifier: observer.notifier)),
                    .init(service: ReloadOnHangup(notifier: observer.notifier, logger: logger, load: load, apply: scheduler.reload)),
                    .init(service: scheduler),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct SchedulerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Leader, paused or not, events, next fires.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scheduleOptions: ScheduleOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let client = try global.client(reading: true)
        let now = Date()
        let lease = try await client.backend.lease()
        let paused = try await client.backend.isPaused()
        let result = ScheduleArguments.load(scheduleOptions.schedules, zone: client.configuration.timeZone, configuration: client.configuration)
        let fires = result.schedules.upcomingFires(after: Int(now.timeIntervalSince1970), limit: 5) { $0.enabled }
        let alive = lease.map { $0.expiresAt > now } ?? false
        if json { return try JSONOutput.print(EventJSON.scheduler(lease: lease, paused: paused, schedule: result.schedules, now: now)) }
        if let lease, alive {
            print("leader:  \(lease.holder) (token \(lease.token), lease until \(JobJSON.timestamp(lease.expiresAt)))")
        } else {
            print("leader:  none — no scheduler is running" + (lease.map { " (last: \($0.holder))" } ?? ""))
        }
        print("paused:  \(paused ? "yes — `tock scheduler resume` to fire again" : "no")")
        print("events:  \(result.schedules.events.count) in \(result.schedules.files.joined(separator: ", "))")
        for fire in fires {
            print("next:    \(fire.event.timeZone.localTime(at: fire.instant))  \(fire.event.name)")
        }
        if result.hasErrors { print("warning: the schedule files have errors; `tock check` lists them") }
    }
}

struct SchedulerPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop firing events (kept in the backend; survives restarts).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.client().backend.setPaused(true)
        print("paused: due fires are skipped until `tock scheduler resume`")
    }
}

struct SchedulerResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Fire events again.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await global.client().backend.setPaused(false)
        print("resumed")
    }
}
