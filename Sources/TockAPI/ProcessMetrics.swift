import Foundation
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import TockCore

/// The metrics that accumulate over an API process's life, beside those `/metrics` reads
/// from the backend at each scrape: Hummingbird's HTTP metrics (through swift-metrics) and
/// job durations and pickup latencies, observed from the shared event log — so, like the
/// backend's figures, they cover every worker on every host.
public final class ProcessMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    /// Makes swift-metrics report into ``registry`` (Hummingbird's `MetricsMiddleware`
    /// writes there). Once per process: swift-metrics allows one bootstrap.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
        .seconds(300), .seconds(900), .seconds(1800), .seconds(3600),
    ]
    static let pickupBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1),
        .seconds(5), .seconds(30), .seconds(60), .seconds(300),
    ]

    func duration(queue: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: APIRoutes.descriptor("job_duration_seconds", "Seconds from started to finished or failed, by queue."),
            labels: [("queue", queue)], buckets: Self.durationBuckets)
    }

    func pickup(queue: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: APIRoutes.descriptor("job_pickup_latency_seconds", "Seconds from queued to started, by queue."),
            labels: [("queue", queue)], buckets: Self.pickupBuckets)
    }
}

/// Follows the event log through the process's ``EventHub`` and observes each job's
/// pickup latency (its latest `queued` event → `started`) and duration (`started` → its
/// end). Jobs queued before the process started have no pickup figure; at most
/// ``pendingLimit`` jobs are remembered between events.
public struct JobTimingObserver: Service {
    let hub: EventHub
    let metrics: ProcessMetrics
    static let pendingLimit = 100_000

    public init(hub: EventHub, metrics: ProcessMetrics) {
        self.hub = hub
        self.metrics = metrics
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            do {
                try await hub.withSubscription { wakes in
                    var (feed, _) = try await EventFeed.start(hub: hub, after: nil)
                    var timings = Timings()
                    for await _ in wakes {
                        while let read = try await feed.next() {
                            guard case .events(let events) = read else { continue }
                            for shared in events { timings.observe(shared.event, metrics: metrics) }
                        }
                    }
                }
            } catch {
                hub.logger.warning("job duration and pickup metrics stopped: the event log could not be read: \(error)")
            }
        }
    }

    /// Jobs seen queued or started, waiting for their next event.
    struct Timings {
        var queuedAt: [JobID: Date] = [:]
        var startedAt: [JobID: Date] = [:]

        mutating func observe(_ event: JobEvent, metrics: ProcessMetrics) {
            switch event.status {
            case .queued:
                if queuedAt.count >= JobTimingObserver.pendingLimit { queuedAt.removeAll(keepingCapacity: true) }
                queuedAt[event.job] = event.at
            case .started:
                if let queued = queuedAt.removeValue(forKey: event.job) {
                    metrics.pickup(queue: event.queue).record(JobTimingObserver.duration(event.at.timeIntervalSince(queued)))
                }
                if event.progress == nil {
                    if startedAt.count >= JobTimingObserver.pendingLimit { startedAt.removeAll(keepingCapacity: true) }
                    startedAt[event.job] = event.at
                }
            case .finished, .failed:
                if let started = startedAt.removeValue(forKey: event.job) {
                    metrics.duration(queue: event.queue).record(JobTimingObserver.duration(event.at.timeIntervalSince(started)))
                }
            default:
                startedAt.removeValue(forKey: event.job)
            }
        }
    }

    static func duration(_ seconds: TimeInterval) -> Duration { .microseconds(Int64(max(0, seconds) * 1_000_000)) }
}
