import Foundation

/// The scheduler's state in the backend: the leader lease, per-event state, and the
/// pause switch. Kept in the backend, not in the scheduler's memory, so that a restarted
/// or standby scheduler knows what was fired.
///
/// **Fencing.** The lease carries a token that grows with every new holder. Every write a
/// scheduler makes as leader (``recordFire(_:token:maxQueued:)``) carries the token it was
/// given, and the backend refuses it unless that token is the current lease's — so a
/// leader that stalled (SIGSTOP, a VM pause) and wakes after losing its lease can neither
/// enqueue nor overwrite state.
public protocol SchedulerStore: Sendable {
    /// Takes the lease for `holder`, or extends it when `holder` has it, until
    /// `now + duration`. Returns `nil` while another holder's lease has not expired.
    /// A holder that takes over an expired or released lease gets a token greater than
    /// every token given before; renewing keeps the token.
    func acquireLease(holder: String, duration: TimeInterval, now: Date) async throws -> SchedulerLease?

    /// Gives the lease up if `holder` has it (a clean shutdown: a standby need not wait
    /// for it to expire).
    func releaseLease(holder: String) async throws

    /// The lease as it stands (possibly expired), if any was ever taken.
    func lease() async throws -> SchedulerLease?

    /// Records one fire atomically: enqueues its job (idempotently, by the job's id) —
    /// or nothing when the fire is skipped — and sets the event's state (last fire instant
    /// if later than the stored one, last job id, boot id) in the same write.
    ///
    /// - Throws: ``TockError/fenced(token:current:)`` unless `token` is the current
    ///   lease's token; nothing is written then.
    func recordFire(_ fire: FireRecord, token: Int64, maxQueued: [String: Int]) async throws -> EnqueueOutcome?

    /// ``recordFire(_:token:maxQueued:)`` for many fires, all or none: a thousand events
    /// due in the same second are one write, not a thousand (the default implementation
    /// records them one by one).
    func recordFires(_ fires: [FireRecord], token: Int64, maxQueued: [String: Int]) async throws -> [EnqueueOutcome?]

    /// The state of every event that ever fired or was switched on or off, by name.
    func eventStates() async throws -> [String: EventState]

    /// The operators' `enabled` overrides alone, by event name: what a leader re-reads
    /// while it runs, without loading every event's state.
    func eventOverrides() async throws -> [String: Bool]

    /// Switches an event off (`false`) or on (`true`) regardless of its file, or back to
    /// its file's `enabled` (`nil`). Survives restarts.
    func setEventEnabled(_ name: String, enabled: Bool?) async throws

    /// Pauses or resumes all firing. Survives restarts.
    func setPaused(_ paused: Bool) async throws
    func isPaused() async throws -> Bool
}

extension SchedulerStore {
    public func recordFires(_ fires: [FireRecord], token: Int64, maxQueued: [String: Int]) async throws -> [EnqueueOutcome?] {
        var outcomes: [EnqueueOutcome?] = []
        for fire in fires { outcomes.append(try await recordFire(fire, token: token, maxQueued: maxQueued)) }
        return outcomes
    }
}

/// The scheduler's leader lease.
public struct SchedulerLease: Sendable, Hashable {
    /// Who holds (or last held) it: `host.pid.random`.
    public var holder: String
    /// Grows with every new holder; fences writes made under an older one.
    public var token: Int64
    public var expiresAt: Date

    public init(holder: String, token: Int64, expiresAt: Date) {
        self.holder = holder
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// What the scheduler knows of one event between runs.
public struct EventState: Sendable, Hashable {
    public var name: String
    /// The latest schedule instant handled (fired or skipped).
    public var lastFire: Date?
    /// The job the latest enqueued fire made.
    public var lastJob: JobID?
    /// An operator's `tock events disable|enable`; `nil`: as the file says.
    public var enabledOverride: Bool?
    /// The boot an `@reboot` event last fired in (`/proc/sys/kernel/random/boot_id`).
    public var bootID: String?

    public init(name: String, lastFire: Date? = nil, lastJob: JobID? = nil, enabledOverride: Bool? = nil, bootID: String? = nil) {
        self.name = name
        self.lastFire = lastFire
        self.lastJob = lastJob
        self.enabledOverride = enabledOverride
        self.bootID = bootID
    }
}

/// One fire of an event, as ``SchedulerStore/recordFire(_:token:maxQueued:)`` stores it.
public struct FireRecord: Sendable, Hashable {
    public var event: String
    /// The schedule instant (before jitter).
    public var instant: Date
    /// The job to enqueue; `nil` when the fire is skipped (overlap, pause, catch-up).
    public var job: Job?
    /// For `@reboot` events: the boot it fires in.
    public var bootID: String?

    public init(event: String, instant: Date, job: Job?, bootID: String? = nil) {
        self.event = event
        self.instant = instant
        self.job = job
        self.bootID = bootID
    }
}
