import Foundation
import TockCore

enum WorkerChecks {
    @Sendable static func abandonedJobsAreRetriedOrFailed(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("once"), makeJob("retried", retries: 1, intervals: [5])], maxQueued: [:])
        _ = try await backend.heartbeat(makeWorker("dead", heartbeat: t0), runningJobs: [], now: t0)
        _ = try await backend.heartbeat(makeWorker("alive", heartbeat: t0), runningJobs: [], now: t0)
        guard let first = try await backend.claim(from: ["default"], worker: "dead", now: t0),
            let second = try await backend.claim(from: ["default"], worker: "dead", now: t0)
        else { throw ConformanceFailure("nothing to claim") }
        // Within the timeout nothing is abandoned.
        try expectEqual(try await backend.recoverAbandonedJobs(now: t0 + 29, heartbeatTimeout: 30, failureTTL: 100).count, 0, "recovered early")
        _ = try await backend.heartbeat(makeWorker("alive", heartbeat: t0 + 40), runningJobs: [], now: t0 + 40)
        let recovered = try await backend.recoverAbandonedJobs(now: t0 + 41, heartbeatTimeout: 30, failureTTL: 100)
        try expectEqual(Set(recovered.map(\.id)), [first.id, second.id], "recovered jobs")
        let once = try await backend.job(JobID(unchecked: "once"))
        try expectEqual(once?.status, .failed, "abandoned without retries")
        try expectEqual(once?.error, "abandoned: worker dead stopped heartbeating", "abandoned error")
        let retried = try await backend.job(JobID(unchecked: "retried"))
        try expectEqual(retried?.status, .scheduled, "abandoned with a retry left")
        try expectEqual(retried?.scheduledFor, t0 + 46, "retry time")
        try expectEqual(try await backend.workers().map(\.name), ["alive"], "workers after recovery")
        try expectEqual(try await backend.recoverAbandonedJobs(now: t0 + 42, heartbeatTimeout: 30, failureTTL: 100).count, 0, "recovered twice")
    }

    /// A worker that lives on but no longer reports a job (it gave up recording the job's
    /// end while the backend was unreachable) does not keep that job `started` for ever.
    @Sendable static func jobsALiveWorkerNoLongerReportsAreAbandoned(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("orphan"), makeJob("running")], maxQueued: [:])
        _ = try await backend.heartbeat(makeWorker("w", heartbeat: t0), runningJobs: [], now: t0)
        guard let orphan = try await backend.claim(from: ["default"], worker: "w", now: t0),
            let running = try await backend.claim(from: ["default"], worker: "w", now: t0)
        else { throw ConformanceFailure("nothing to claim") }
        for second in stride(from: 10.0, through: 40, by: 10) {
            _ = try await backend.heartbeat(makeWorker("w", heartbeat: t0 + second), runningJobs: [running.id], now: t0 + second)
        }
        let recovered = try await backend.recoverAbandonedJobs(now: t0 + 41, heartbeatTimeout: 30, failureTTL: 100)
        try expectEqual(recovered.map(\.id), [orphan.id], "recovered jobs")
        try expectEqual(try await backend.job(orphan.id)?.status, .failed, "the job its worker no longer reports")
        try expectEqual(try await backend.job(running.id)?.status, .started, "the job its worker still reports")
        try expectEqual(try await backend.workers().map(\.name), ["w"], "the live worker's record")
    }

    @Sendable static func heartbeatsKeepJobsAliveAndCarryStopRequests(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("long-running"), makeJob("other")], maxQueued: [:])
        _ = try await backend.heartbeat(makeWorker("w", heartbeat: t0), runningJobs: [], now: t0)
        guard let job = try await backend.claim(from: ["default"], worker: "w", now: t0),
            let other = try await backend.claim(from: ["default"], worker: "w", now: t0)
        else { throw ConformanceFailure("nothing to claim") }
        var stops = try await backend.heartbeat(makeWorker("w", heartbeat: t0 + 100), runningJobs: [job.id, other.id], now: t0 + 100)
        try expectEqual(stops, [], "stop requests before any")
        try expectEqual(try await backend.job(job.id)?.lastHeartbeat, t0 + 100, "job heartbeat")
        try expectEqual(try await backend.recoverAbandonedJobs(now: t0 + 110, heartbeatTimeout: 30, failureTTL: 100).count, 0, "recovered a live job")
        let stopping = try await backend.requestStop(job.id, now: t0 + 111)
        try expect(stopping.stopRequested, "stop requested flag")
        stops = try await backend.heartbeat(makeWorker("w", heartbeat: t0 + 112), runningJobs: [job.id, other.id], now: t0 + 112)
        try expectEqual(stops, [job.id], "stop requests")
        let stopped = try await backend.complete(job.id, worker: "w", outcome: .stopped(failureTTL: 100), now: t0 + 113)
        try expectEqual(stopped?.status, .stopped, "status after stop")
    }

    @Sendable static func workersAreRegisteredAndRemoved(_ backend: any TockBackend) async throws {
        var record = makeWorker("host.1.1", queues: ["short", "default"])
        _ = try await backend.heartbeat(record, runningJobs: [], now: t0)
        record.state = .busy
        record.currentJob = JobID(unchecked: "j1")
        record.successfulJobCount = 3
        record.failedJobCount = 1
        record.totalWorkingTime = 30
        record.lastHeartbeat = t0 + 60
        _ = try await backend.heartbeat(record, runningJobs: [], now: t0 + 60)
        _ = try await backend.heartbeat(makeWorker("host.1.2"), runningJobs: [], now: t0 + 60)
        let workers = try await backend.workers()
        try expectEqual(workers.map(\.name), ["host.1.1", "host.1.2"], "worker names")
        try expectEqual(workers.first, record, "worker record")
        try expectEqual(workers.first?.utilization(at: t0 + 60), 50, "utilization")
        try await backend.unregisterWorker("host.1.1")
        try expectEqual(try await backend.workers().map(\.name), ["host.1.2"], "after unregistering")
    }
}
