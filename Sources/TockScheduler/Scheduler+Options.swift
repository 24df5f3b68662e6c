import Foundation

extension Scheduler {
    /// How the scheduler runs, beyond what the configuration says.
    public struct Options: Sendable {
        /// Who this scheduler is in the leader lease (default `host.pid.random`).
        public var holder: String
        /// How long the leader lease lasts without renewal (default 15 s): a standby takes
        /// over within this long after the leader dies. Renewed every third of it.
        public var leaseDuration: TimeInterval
        /// With `catch_up: all`, at most this many missed fires per event (the most recent
        /// ones) are enqueued after downtime (default 100).
        public var catchUpCap: Int
        /// Fires at most this late count as late, not missed, and are all enqueued
        /// whatever `catch_up` says (default 10 s): a stall or a quick restart is not
        /// downtime.
        public var latenessGrace: TimeInterval
        /// The kernel's boot id, for `@reboot` (default: `/proc/sys/kernel/random/boot_id`).
        public var bootID: String?

        public init(
            holder: String = Options.defaultHolder(), leaseDuration: TimeInterval = 15, catchUpCap: Int = 100,
            latenessGrace: TimeInterval = 10, bootID: String? = Options.currentBootID()
        ) {
            self.holder = holder
            self.leaseDuration = leaseDuration
            self.catchUpCap = catchUpCap
            self.latenessGrace = latenessGrace
            self.bootID = bootID
        }

        public static func defaultHolder() -> String {
            let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
            return "\(host).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max) % 100_000)"
        }

        public static func currentBootID() -> String? {
            (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
