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
    /// or nothing when the fire is skipped — and sets the event's state as
    /// ``EventState/record(_:)`` says (last fire instant if later than the stored one,
    /// last job id, boot id, last skip and the count of skipped instants) in the same
    /// write.
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

    /// Records that a job of event `name` finished successfully at `at`, keeping the
    /// later of that and the stored time (workers call it after recording the job's end).
    func recordEventSuccess(_ name: String, at: Date) async throws

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
    /// The latest instant that was skipped instead of enqueued, and why.
    public var lastSkip: Date?
    public var lastSkipReason: FireSkip.Reason?
    /// How many due instants were skipped in all (every reason).
    public var skippedFires: Int
    /// When a job of this event (a fire or a manual run) last finished successfully, as
    /// its worker recorded it: kept after the job's own record expires, for "has not
    /// succeeded in N hours" alerts.
    public var lastSuccess: Date?

    public init(
        name: String, lastFire: Date? = nil, lastJob: JobID? = nil, enabledOverride: Bool? = nil, bootID: String? = nil,
        lastSkip: Date? = nil, lastSkipReason: FireSkip.Reason? = nil, skippedFires: Int = 0, lastSuccess: Date? = nil
    ) {
        self.lastSuccess = lastSuccess
        self.name = name
        self.lastFire = lastFire
        self.lastJob = lastJob
        self.enabledOverride = enabledOverride
        self.bootID = bootID
        self.lastSkip = lastSkip
        self.lastSkipReason = lastSkipReason
        self.skippedFires = skippedFires
    }

    /// Applies what every backend applies when it records `fire`: the latest instant
    /// handled, the job, the boot, and the skip with its count.
    public mutating func record(_ fire: FireRecord) {
        if lastFire.map({ fire.instant > $0 }) ?? true { lastFire = fire.instant }
        if let job = fire.job { lastJob = job.id }
        if let bootID = fire.bootID { self.bootID = bootID }
        if let skip = fire.skip {
            if lastSkip.map({ fire.instant >= $0 }) ?? true {
                lastSkip = fire.instant
                lastSkipReason = skip.reason
            }
            skippedFires += skip.count
        }
    }
}

/// Why a due instant was not enqueued, and how many instants (up to and including the
/// record's) one record stands for: a downtime skipped under `catch_up: none` is one
/// record, not one per second of it.
public struct FireSkip: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The event's previous job was still queued or started (`overlap: skip`).
        case overlap
        /// The scheduler was paused.
        case paused
        /// The event was disabled (in its file or by `tock events disable`).
        case disabled
        /// Missed while no scheduler ran: `catch_up: none`, or the older instants under
        /// `catch_up: latest`.
        case missed
        /// Missed, and older than the `catch_up: all` cap.
        case catchUpCap = "catch_up_cap"
        /// The queue held `max_queued` jobs.
        case queueFull = "queue_full"
        /// The job was refused at enqueue (a limit, an unknown queue).
        case refused
    }

    public var reason: Reason
    /// Instants this record stands for, at least 1.
    public var count: Int

    public init(_ reason: Reason, count: Int = 1) {
        self.reason = reason
        self.count = max(1, count)
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
    /// Why no job was enqueued, when `job` is `nil`.
    public var skip: FireSkip?

    public init(event: String, instant: Date, job: Job?, bootID: String? = nil) {
        self.event = event
        self.instant = instant
        self.job = job
        self.bootID = bootID
    }

    /// A skipped fire (or `skip.count` of them, the latest at `instant`).
    public init(event: String, instant: Date, skip: FireSkip) {
        self.init(event: event, instant: instant, job: nil)
        self.skip = skip
    }
}
