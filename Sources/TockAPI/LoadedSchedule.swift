import Synchronization
import TockSchedule
import TockValues

/// The schedule files' events and `jobs:` declarations as an API process last read them,
/// shared by every copy of ``APIRoutes`` and replaced whole on reload.
final class LoadedSchedule: Sendable {
    struct Snapshot: Sendable {
        var schedule: ScheduleSet
        var declarations: [String: JobDeclaration]
    }

    private let snapshot: Mutex<Snapshot>

    init(_ schedule: ScheduleSet) {
        snapshot = Mutex(Snapshot(schedule: schedule, declarations: schedule.declarations))
    }

    var current: Snapshot { snapshot.withLock { $0 } }

    func replace(with schedule: ScheduleSet) {
        let next = Snapshot(schedule: schedule, declarations: schedule.declarations)
        snapshot.withLock { $0 = next }
    }
}
