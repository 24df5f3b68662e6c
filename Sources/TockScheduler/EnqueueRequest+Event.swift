import TockCore
import TockSchedule
import TockValues

extension EnqueueRequest {
    /// A run of `event`'s job — a fire, or `tock events run` — with the event's queue,
    /// timeout and args (an array as `args`, an object as `kwargs`, anything else as the
    /// one argument), the rest from the job's declaration.
    public init(_ event: ScheduledEvent, declarations: [String: JobDeclaration], id: String? = nil, origin: String) {
        let (args, kwargs) = event.jobArguments
        self.init(
            event.job, declaration: declarations[event.job], queue: event.queue, args: args, kwargs: kwargs, id: id,
            timeout: event.timeout, origin: origin)
    }
}
