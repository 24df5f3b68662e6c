/// The keys of RQ's layout (`rq-compat.md`) under a prefix (`rq:` unless configured, for
/// several Tock installations on one Redis), and Tock's own keys next to them under
/// `<prefix>tock:`, which RQ never reads.
struct RQKeys: Sendable, Hashable {
    /// `rq:` by default.
    let prefix: String

    init(prefix: String = "rq:") { self.prefix = prefix }

    // RQ's keys.
    var queues: String { prefix + "queues" }
    func queue(_ name: String) -> String { prefix + "queue:" + name }
    func job(_ id: String) -> String { prefix + "job:" + id }
    func results(_ id: String) -> String { prefix + "results:" + id }
    func wip(_ queue: String) -> String { prefix + "wip:" + queue }
    func finished(_ queue: String) -> String { prefix + "finished:" + queue }
    func failed(_ queue: String) -> String { prefix + "failed:" + queue }
    func scheduled(_ queue: String) -> String { prefix + "scheduled:" + queue }
    func deferred(_ queue: String) -> String { prefix + "deferred:" + queue }
    func canceled(_ queue: String) -> String { prefix + "canceled:" + queue }
    func executions(_ id: String) -> String { prefix + "executions:" + id }
    var workers: String { prefix + "workers" }
    func workers(_ queue: String) -> String { prefix + "workers:" + queue }
    func worker(_ name: String) -> String { prefix + "worker:" + name }
    func group(_ id: String) -> String { prefix + "group:" + id }
    var groups: String { prefix + "groups" }

    /// The queue name in a queue key of `rq:queues`.
    func queueName(fromKey key: String) -> String? {
        let head = prefix + "queue:"
        return key.hasPrefix(head) ? String(key.dropFirst(head.count)) : nil
    }

    /// The worker name in a worker key of `rq:workers`.
    func workerName(fromKey key: String) -> String? {
        let head = prefix + "worker:"
        return key.hasPrefix(head) ? String(key.dropFirst(head.count)) : nil
    }

    /// The pub/sub channel of a worker's commands (RQ's `rq:pubsub:<worker>`).
    func commands(_ worker: String) -> String { prefix + "pubsub:" + worker }

    /// The worker name in a command channel.
    func workerName(fromCommandChannel channel: String) -> String? {
        let head = prefix + "pubsub:"
        return channel.hasPrefix(head) ? String(channel.dropFirst(head.count)) : nil
    }

    // Tock's keys.
    /// Stopped jobs of a queue (RQ keeps them in its failed registry; so do we, and here too
    /// so that they can be counted apart).
    func stopped(_ queue: String) -> String { prefix + "tock:stopped:" + queue }
    /// The job event stream (ids `<cursor>-0`) and its counter.
    var events: String { prefix + "tock:events" }
    var eventCounter: String { prefix + "tock:events:cursor" }
    /// The pub/sub channel each job event is published on, as JSON.
    var eventChannel: String { prefix + "tock:events" }
    func batch(_ id: String) -> String { prefix + "tock:batch:" + id }
    /// Batches whose end was not recorded yet.
    var openBatches: String { prefix + "tock:batches:open" }
    /// The paused queues' names (a set). Tock's claim skips them; RQ's own workers do
    /// not know this key.
    var pausedQueues: String { prefix + "tock:queues:paused" }
    /// A short stream a resume appends to, waking idle workers (``RedisEventWaiter``).
    var queueSignals: String { prefix + "tock:queues:signals" }
    var lease: String { prefix + "tock:scheduler:lease" }
    var paused: String { prefix + "tock:scheduler:paused" }
    /// Per-event state, one hash per attribute, fields by event name.
    var eventLastFire: String { prefix + "tock:event:last_fire" }
    var eventLastJob: String { prefix + "tock:event:last_job" }
    var eventEnabled: String { prefix + "tock:event:enabled" }
    var eventBoot: String { prefix + "tock:event:boot" }
    var eventLastSkip: String { prefix + "tock:event:last_skip" }
    var eventSkipReason: String { prefix + "tock:event:skip_reason" }
    var eventSkipped: String { prefix + "tock:event:skipped" }
    var eventLastSuccess: String { prefix + "tock:event:last_success" }
}
