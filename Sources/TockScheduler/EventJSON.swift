import Foundation
import TockCore
import TockSchedule
import TockValues

/// The JSON form of events and of the scheduler's state that `tock events --json`,
/// `tock scheduler status --json` and the HTTP API all write. Times of an event are on
/// its own zone's clock (`2026-03-29T03:00:00+02:00`).
public enum EventJSON {
    /// An event with what the scheduler did with it: its state in the backend and the
    /// job its latest fire made, if that job is still kept.
    public static func object(_ event: ScheduledEvent, state: EventState?, lastJob: Job?, now: Date) -> JSONValue {
        let zone = event.timeZone
        func local(_ date: Date?) -> JSONValue {
            date.map { .string(zone.localTime(at: Int($0.timeIntervalSince1970)).iso8601) } ?? .null
        }
        return .object([
            "event": .string(event.name), "job": .string(event.job), "schedule": .string(event.scheduleText),
            "description": .string(event.expression.summary), "queue": .string(event.queue),
            "timezone": .string(zone.identifier), "enabled": .bool(state?.enabledOverride ?? event.enabled),
            "enabled_override": state?.enabledOverride.map(JSONValue.bool) ?? .null,
            "last_fire": local(state?.lastFire),
            "last_job": state?.lastJob.map { .string($0.rawValue) } ?? .null,
            "last_job_status": lastJob.map { .string($0.status.rawValue) } ?? .null,
            "skipped_fires": .number(Double(state?.skippedFires ?? 0)),
            "last_skip": local(state?.lastSkip),
            "last_skip_reason": state?.lastSkipReason.map { .string($0.rawValue) } ?? .null,
            "last_success": local(state?.lastSuccess),
            "next_fire": event.isReboot ? .string("at boot") : local(event.schedule.next(after: now)),
        ])
    }

    /// The leader (when its lease is alive), the lease, the pause switch and the next
    /// five fires of `schedule`'s enabled events.
    public static func scheduler(lease: SchedulerLease?, paused: Bool, schedule: ScheduleSet, now: Date) -> JSONValue {
        let alive = lease.map { $0.expiresAt > now } ?? false
        let fires = schedule.upcomingFires(after: Int(now.timeIntervalSince1970), limit: 5) { $0.enabled }
        return .object([
            "leader": alive ? lease.map { .string($0.holder) } ?? .null : .null,
            "lease_token": lease.map { .number(Double($0.token)) } ?? .null,
            "lease_expires_at": lease.map { .string(JobJSON.timestamp($0.expiresAt)) } ?? .null,
            "paused": .bool(paused), "events": .number(Double(schedule.events.count)),
            "next": .array(fires.map { fire in
                .object(["event": .string(fire.event.name), "at": .string(fire.event.timeZone.localTime(at: fire.instant).iso8601)])
            }),
        ])
    }
}
