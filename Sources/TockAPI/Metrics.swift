import Foundation
import Hummingbird
import Prometheus
import TockCore
import TockSchedule
import TockScheduler

/// `GET /metrics` in Prometheus' text format: figures for the whole deployment — every
/// worker on every host — read from the backend at each scrape, so any API process
/// answers alike. Labels come from configuration and the backend's registries (queues,
/// statuses, worker names, event names), never from job payloads.
///
/// The registry is built anew for each scrape: a worker that is gone leaves no stale
/// series. The event counters count what this process's ``EventHub`` read from the
/// shared log since it started (Prometheus' `rate()` copes with the restart).
extension APIRoutes {
    func metrics() async throws -> Response {
        let registry = PrometheusCollectorRegistry()
        let now = Date()
        let counts = try await client.backend.queueCounts()
        let queues = Set(client.configuration.queues.map(\.name)).union(counts.keys)
        for queue in queues.sorted() {
            for status in JobStatus.allCases {
                gauge(registry, "jobs", "Jobs by queue and status.", [("queue", queue), ("status", status.rawValue)])
                    .set(Double(counts[queue]?[status] ?? 0))
            }
        }
        let oldest = try await client.backend.oldestQueuedAt(in: queues.filter { (counts[$0]?[.queued] ?? 0) > 0 })
        let paused = try await client.backend.pausedQueues()
        for queue in queues.sorted() {
            gauge(registry, "queue_oldest_job_age_seconds", "Age of the oldest queued job (0 with none queued).", [("queue", queue)])
                .set(oldest[queue].map { max(0, now.timeIntervalSince($0)) } ?? 0)
            gauge(registry, "queue_paused", "1 while workers claim nothing from the queue.", [("queue", queue)])
                .set(Double(paused.contains(queue) ? 1 : 0))
        }
        let workers = try await client.backend.workers()
        for state in ["idle", "busy", "suspended"] {
            gauge(registry, "workers", "Worker slots by state.", [("state", state)])
                .set(Double(workers.filter { $0.state.rawValue == state }.count))
        }
        for worker in workers {
            gauge(registry, "worker_utilization_ratio", "Busy time / uptime.", [("worker", worker.name)])
                .set(worker.utilization(at: now) / 100)
            gauge(registry, "worker_heartbeat_age_seconds", "Seconds since the last heartbeat.", [("worker", worker.name)])
                .set(now.timeIntervalSince(worker.lastHeartbeat))
        }
        for (key, count) in hub.eventCounts.sorted(by: { ($0.key.queue, $0.key.type) < ($1.key.queue, $1.key.type) }) {
            let help = "Job events (enqueued, started, finished, failed, …) read from the log since this process started."
            registry.makeCounter(descriptor: Self.descriptor("job_events_total", help), labels: [("queue", key.queue), ("type", key.type)])
                .increment(by: Int64(count))
        }
        let states = try await client.backend.eventStates()
        for event in schedule.events {
            let state = states[event.name]
            let labels = [("event", event.name)]
            if let last = state?.lastFire {
                gauge(registry, "event_last_fire_timestamp_seconds", "The latest instant handled.", labels)
                    .set(last.timeIntervalSince1970)
            }
            if !event.isReboot, let next = event.schedule.next(after: now) {
                gauge(registry, "event_next_fire_timestamp_seconds", "The next instant due.", labels)
                    .set(next.timeIntervalSince1970)
            }
            if let success = state?.lastSuccess {
                gauge(registry, "event_last_success_timestamp_seconds", "When a job of the event last finished successfully.", labels)
                    .set(success.timeIntervalSince1970)
            }
            gauge(registry, "event_skipped_fires", "Due instants skipped (overlap, missed, paused, …).", labels)
                .set(Double(state?.skippedFires ?? 0))
            gauge(registry, "event_enabled", "1 if the event fires.", labels)
                .set(Double((state?.enabledOverride ?? event.enabled) ? 1 : 0))
        }
        let lease = try await client.backend.lease()
        gauge(registry, "scheduler_leader", "1 while a scheduler holds a live lease.")
            .set(Double(lease.map { $0.expiresAt > now ? 1 : 0 } ?? 0))
        gauge(registry, "scheduler_lease_token", "The fencing token of the latest lease.")
            .set(Double(lease?.token ?? 0))
        gauge(registry, "scheduler_paused", "1 while firing is paused.")
            .set(Double(try await client.backend.isPaused() ? 1 : 0))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer() + processMetrics.registry.emitToBuffer())))
    }

    /// `tock_NAME`, with its help line.
    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tock", metricName: name, unitName: "", helpText: help)
    }

    func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }
}
