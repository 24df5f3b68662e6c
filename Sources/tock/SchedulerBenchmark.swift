import Foundation
import Logging
import Synchronization
import TockCore
import TockCron
import TockSQLite
import TockSchedule
import TockScheduler

/// `tock bench scheduler`: loading many events, lateness of a thousand simultaneous fires,
/// idle CPU with many events.
struct SchedulerBenchmark {
    var events: Int
    var idleSeconds: Int
    var directory: URL

    func run(progress: (String) -> Void) async throws -> [QueueBenchmark.Figure] {
        var figures: [QueueBenchmark.Figure] = []
        progress("loading \(events) events")
        let file = try writeEvents(count: events, schedules: ["H * * * *", "H H * * *", "*/5 * * * *", "H H * * 1-5", "0 H(8-18) * * *"], name: "many")
        let rssBefore = Self.residentMegabytes()
        let clock = ContinuousClock()
        let started = clock.now
        let result = ScheduleLoader().load(paths: [file])
        let loaded = (clock.now - started).seconds
        MemoryTrim.returnFreedMemory()
        guard !result.hasErrors, result.schedules.events.count == events else {
            throw TockError.invalidArgument("benchmark schedule did not load: \(result.errors.prefix(3))")
        }
        figures.append(.init(name: "load \(events) events from a file", value: loaded, unit: "s"))
        figures.append(.init(name: "resident memory after loading \(events) events", value: Self.residentMegabytes(), unit: "MB"))
        figures.append(.init(name: "  peak while parsing (Yams' node tree)", value: Self.peakMegabytes(), unit: "MB"))
        figures.append(.init(name: "  of which the loaded events (after − before)", value: Self.residentMegabytes() - rssBefore, unit: "MB"))

        progress("1,000 events due in the same second (SQLite)")
        figures += try await lateness(count: 1000)

        progress("idle CPU with \(events) events for \(idleSeconds) s")
        figures.append(try await idleCPU())
        return figures
    }

    /// A schedule file of `count` events cycling through `schedules`.
    private func writeEvents(count: Int, schedules: [String], name: String) throws -> String {
        // A real application declares its jobs; a hundred commands here.
        var text = "jobs:\n" + (0..<100).map { "  app.job_\($0):\n    command: [\"/bin/true\"]\n" }.joined() + "events:\n"
        text.reserveCapacity(count * 60)
        for index in 0..<count {
            text += "  event-\(index):\n    job: app.job_\(index % 100)\n    schedule: \"\(schedules[index % schedules.count])\"\n"
        }
        let url = directory.appendingPathComponent("\(name).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// `count` events all due at one second a few seconds from now; lateness is from the
    /// due instant to the moment the write with the job committed.
    private func lateness(count: Int) async throws -> [QueueBenchmark.Figure] {
        let due = Date().addingTimeInterval(4).timeIntervalSince1970.rounded(.up)
        let local = CronTimeZone.utc.localTime(at: Int(due))
        let file = try writeEvents(count: count, schedules: ["\(local.second) \(local.minute) \(local.hour) * * *"], name: "due")
        let result = ScheduleLoader().load(paths: [file])
        let backend = try SQLiteBackend(path: directory.appendingPathComponent("lateness.db").path)
        let recorder = LatenessRecorder()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let scheduler = Scheduler(
            backend: backend, configuration: Configuration(), plan: SchedulePlan(result.schedules), observer: recorder,
            logger: logger)
        let task = Task { try await scheduler.run() }
        while recorder.count < count, Date().timeIntervalSince1970 < due + 30 {
            try await Task.sleep(for: .milliseconds(100))
        }
        task.cancel()
        _ = await task.result
        let values = recorder.sorted
        guard values.count == count else { throw TockError.invalidArgument("only \(values.count) of \(count) fires were enqueued") }
        return [
            .init(name: "lateness p50, \(count) events due in one second (due → committed)", value: values[count / 2] * 1000, unit: "ms"),
            .init(name: "lateness p99", value: values[count * 99 / 100] * 1000, unit: "ms"),
            .init(name: "lateness max", value: values[count - 1] * 1000, unit: "ms"),
        ]
    }

    /// The scheduler leading with `events` yearly events (nothing due): CPU over the window.
    private func idleCPU() async throws -> QueueBenchmark.Figure {
        let file = try writeEvents(count: events, schedules: ["H H H H *"], name: "idle")
        let result = ScheduleLoader().load(paths: [file])
        let backend = try SQLiteBackend(path: directory.appendingPathComponent("idle.db").path)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let scheduler = Scheduler(backend: backend, configuration: Configuration(), plan: SchedulePlan(result.schedules), logger: logger)
        let task = Task { try await scheduler.run() }
        try await Task.sleep(for: .seconds(3))  // leadership, heap built
        let before = try QueueBenchmark.cpuSeconds(pid: getpid())
        try await Task.sleep(for: .seconds(idleSeconds))
        let used = try QueueBenchmark.cpuSeconds(pid: getpid()) - before
        task.cancel()
        _ = await task.result
        return .init(name: "CPU while idle with \(events) events, over \(idleSeconds) s", value: used / Double(idleSeconds) * 100, unit: "%")
    }

    static func peakMegabytes() -> Double { statusMegabytes("VmHWM:") }

    static func residentMegabytes() -> Double { statusMegabytes("VmRSS:") }

    static func statusMegabytes(_ key: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) })
        else { return 0 }
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }
}

/// Collects each enqueued fire's lateness.
final class LatenessRecorder: SchedulerObserver {
    private let values = Mutex<[Double]>([])

    func schedulerEnqueued(_ job: Job, for event: String, instant: Date, committedAt: Date) {
        values.withLock { $0.append(committedAt.timeIntervalSince(instant)) }
    }

    var count: Int { values.withLock { $0.count } }
    var sorted: [Double] { values.withLock { $0.sorted() } }
}
