import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TockSchedule
import TockScheduler
import TockSystemd
import UnixSignals

/// Tells systemd how the scheduler is doing: `READY=1` and `STATUS=` lines, and
/// `WATCHDOG=1` from the scheduler's own loop (so a stuck loop stops the pings).
/// Does nothing when not started by systemd.
final class SystemdObserver: SchedulerObserver {
    let notifier = SystemdNotifier()
    private let lastPing = Mutex<ContinuousClock.Instant?>(nil)

    func schedulerIsReady(status: String) {
        _ = notifier.ready(status: status)
    }

    func schedulerStatus(_ status: String) {
        _ = notifier.status(status)
    }

    func schedulerLoopIsAlive() {
        guard let interval = notifier.watchdogInterval else { return }
        let now = ContinuousClock.now
        let due = lastPing.withLock { last in
            if let previous = last, previous.duration(to: now) < interval { return false }
            last = now
            return true
        }
        if due { _ = notifier.watchdog() }
    }
}

/// Sends `STOPPING=1` as soon as a graceful shutdown (SIGTERM) begins.
struct StoppingNotifier: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        await withGracefulShutdownHandler {
            try? await gracefulShutdown()
        } onGracefulShutdown: {
            _ = notifier.stopping(status: "stopping")
        }
    }
}

/// Re-reads the schedule files on SIGHUP: `RELOADING=1`, then the new schedule and
/// `READY=1` — or, when a file has errors, the previous schedule keeps running and the
/// log and `STATUS=` say why.
struct ReloadOnHangup<Loaded: Sendable>: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    /// Reads the configuration and the schedule files again (`true`: a reload).
    let load: @Sendable (Bool) -> (plan: Loaded?, problems: [ScheduleProblem])
    let apply: @Sendable (Loaded) -> Void
    /// How many events `Loaded` holds, for the log and `STATUS=`.
    let eventCount: @Sendable (Loaded) -> Int

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                _ = notifier.reloading(status: "reloading schedule files")
                let (plan, problems) = load(true)
                for problem in problems { logger.log(level: problem.severity == .note ? .info : .warning, "\(problem)") }
                if let plan {
                    apply(plan)
                    logger.notice("reloaded: \(eventCount(plan)) events")
                    _ = notifier.ready(status: "reloaded: \(eventCount(plan)) events")
                } else {
                    let errors = problems.filter(\.isError).count
                    let line = "reload failed: \(errors) \(errors == 1 ? "error" : "errors") in the configuration or schedule files; the previous schedule keeps running"
                    logger.error("\(line)")
                    _ = notifier.ready(status: line)
                }
            }
        }
    }
}

extension ReloadOnHangup where Loaded == SchedulePlan {
    init(
        notifier: SystemdNotifier, logger: Logger, load: @escaping @Sendable (Bool) -> (plan: SchedulePlan?, problems: [ScheduleProblem]),
        apply: @escaping @Sendable (SchedulePlan) -> Void
    ) {
        self.init(notifier: notifier, logger: logger, load: load, apply: apply, eventCount: { $0.events.count })
    }
}
