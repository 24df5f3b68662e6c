import Foundation

extension ScheduleLoader {
    /// What the loader assumes about the service it loads for.
    public struct Options: Sendable, Hashable {
        /// The IANA zone for events whose event and file name none; default `UTC`.
        public var defaultTimeZone: String
        /// The queues workers serve; an event or job naming another is an error.
        /// Default `short`, `default`, `long`.
        public var queues: [String]
        /// The period of the `all` frequency, in seconds; default 240 (`*/4 * * * *`,
        /// Frappe's `scheduler_interval`). It must divide a minute, an hour or a day
        /// evenly (see ``Frequency/everyInterval(_:)``), or `all` is an error.
        public var schedulerInterval: Int
        /// The instant from which "fires within the next 100 years" is checked;
        /// default the moment the options are made.
        public var now: Date
        /// Read only the files' `jobs:` (and `timezone:`), not their events: what an
        /// enqueuer or a worker needs, at a fraction of the cost for large files.
        /// Default `false`.
        public var jobsOnly: Bool

        /// Options; see the properties for what each value means.
        public init(
            defaultTimeZone: String = "UTC", queues: [String] = ["short", "default", "long"],
            schedulerInterval: Int = 240, now: Date = Date(), jobsOnly: Bool = false
        ) {
            self.defaultTimeZone = defaultTimeZone
            self.queues = queues
            self.schedulerInterval = schedulerInterval
            self.now = now
            self.jobsOnly = jobsOnly
        }
    }
}
