import Foundation
import Testing
import TockCore
import TockValues

@testable import TockWorker

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(1)))
struct WorkerTests {
    let harness = Harness()

    @Test func queuesAreTakenInPriorityOrder() async throws {
        let order = Shared<[String]>([])
        var registry = HandlerRegistry()
        registry.register("app.record") { context in
            order.update { $0.append(context.queue) }
            return nil
        }
        for queue in ["long", "default", "short", "long", "default", "short"] {
            _ = try await harness.enqueue("app.record", queue: queue)
        }
        try await runBurst(harness.worker(queues: ["short", "default", "long"], registry: registry, burst: true))
        #expect(order.get() == ["short", "short", "default", "default", "long", "long"])
    }

    @Test func concurrencyRunsThatManyJobsAtOnceEachSlotAWorker() async throws {
        let gate = Shared(false)
        let running = Shared(0)
        let mostAtOnce = Shared(0)
        var registry = HandlerRegistry()
        registry.register("app.wait") { _ in
            let now = running.update {
                $0 += 1
                return $0
            }
            mostAtOnce.update { $0 = max($0, now) }
            while !gate.get() { try await Task.sleep(for: .milliseconds(10)) }
            running.update { $0 -= 1 }
            return nil
        }
        var ids: [JobID] = []
        for _ in 0..<4 { ids.append(try await harness.enqueue("app.wait")) }
        try await withRunningWorker(harness.worker(concurrency: 3, registry: registry)) { _ in
            try await waitUntil("three jobs running") { running.get() == 3 }
            try await waitUntil("three busy slots") {
                try await harness.backend.workers().filter { $0.state == .busy }.count == 3
            }
            let workers = try await harness.backend.workers()
            #expect(workers.map(\.name) == ["w.1", "w.2", "w.3"])
            #expect(Set(workers.compactMap(\.currentJob)) == Set(ids.prefix(3)))
            #expect(try await harness.job(ids[3]).status == .queued)
            gate.update { $0 = true }
            for id in ids { try await harness.waitForJob(id) { $0.status == .finished } }
        }
        #expect(mostAtOnce.get() == 3)
    }

    @Test func burstWorkerReturnsWhenItsQueuesAreEmpty() async throws {
        let emptyStart = ContinuousClock.now
        try await runBurst(harness.worker(burst: true), within: .seconds(5))
        #expect(emptyStart.duration(to: .now) < .seconds(3))

        var registry = HandlerRegistry()
        registry.register("app.ok") { _ in "ok" }
        let first = try await harness.enqueue("app.ok")
        let second = try await harness.enqueue("app.ok")
        let later = try await harness.client.enqueue(
            EnqueueRequest(name: "app.ok", at: Date().addingTimeInterval(3600), origin: "test")
        ).job.id
        try await runBurst(harness.worker(registry: registry, burst: true), within: .seconds(5))
        #expect(try await harness.job(first).status == .finished)
        #expect(try await harness.job(second).status == .finished)
        #expect(try await harness.job(later).status == .scheduled)
        #expect(try await harness.backend.workers().isEmpty)
    }

    @Test func warmShutdownFinishesTheRunningJobAndTakesNoOther() async throws {
        var registry = HandlerRegistry()
        registry.register("app.slow") { _ in
            try await Task.sleep(for: .seconds(1.5))
            return "finished anyway"
        }
        let running = try await harness.enqueue("app.slow")
        var waiting: JobID?
        try await withRunningWorker(harness.worker(registry: registry), shutdown: .warm) { group in
            try await harness.waitForJob(running) { $0.status == .started }
            await group.triggerGracefulShutdown()
            waiting = try await harness.enqueue("app.slow")
        }
        let job = try await harness.job(running)
        #expect(job.status == .finished)
        #expect(job.result == "finished anyway")
        #expect(try await harness.job(try #require(waiting)).status == .queued)
        #expect(try await harness.backend.workers().isEmpty)
    }

    @Test func coldShutdownPutsARunningCommandBackOnItsQueue() async throws {
        let pidFile = temporaryPath("cold.pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let id = try await harness.enqueue("app.long")
        let worker = harness.worker(commands: [
            "app.long": ["/bin/sh", "-c", #"echo $$ > "$1"; exec sleep 60"#, "sh", pidFile]
        ])
        let started = ContinuousClock.now
        var process: pid_t = 0
        try await withRunningWorker(worker, shutdown: .cold) { _ in
            try await harness.waitForJob(id) { $0.status == .started }
            process = try await pid(writtenTo: pidFile)
        }
        #expect(started.duration(to: .now) < .seconds(8))
        let job = try await harness.job(id)
        #expect(job.status == .queued)
        #expect(job.worker == nil)
        #expect(job.startedAt == nil)
        try await waitUntil("the interrupted command to die", within: .seconds(2)) { isGone(process) }
        #expect(try await harness.backend.workers().isEmpty)
    }

    @Test func coldShutdownPutsARunningHandlerBackOnItsQueue() async throws {
        var registry = HandlerRegistry()
        registry.register("app.slow") { _ in
            try await Task.sleep(for: .seconds(30))
            return nil
        }
        let id = try await harness.enqueue("app.slow")
        try await withRunningWorker(harness.worker(registry: registry), shutdown: .cold) { _ in
            try await harness.waitForJob(id) { $0.status == .started }
        }
        #expect(try await harness.job(id).status == .queued)
    }

    @Test func workerRecordsCountJobsAndWorkingTime() async throws {
        var registry = HandlerRegistry()
        registry.register("app.ok") { _ in
            try await Task.sleep(for: .milliseconds(300))
            return nil
        }
        registry.register("app.fail") { _ in throw JobFailure("no") }
        let ids = [
            try await harness.enqueue("app.ok"), try await harness.enqueue("app.ok"),
            try await harness.enqueue("app.fail"),
        ]
        try await withRunningWorker(harness.worker(registry: registry)) { _ in
            for id in ids { try await harness.waitForJob(id) { $0.status.isTerminal } }
            try await waitUntil("the counts in the worker's record") {
                let record = try await harness.backend.workers().first
                return record?.successfulJobCount == 2 && record?.failedJobCount == 1
            }
            let record = try #require(try await harness.backend.workers().first)
            #expect(record.name == "w.1")
            #expect(record.pid == getpid())
            #expect(record.queues == ["default"])
            #expect(record.state == .idle)
            #expect(record.currentJob == nil)
            #expect(record.totalWorkingTime >= 0.6)
            #expect(record.totalWorkingTime < 5)
            #expect(record.utilization(at: Date()) > 0)
            try await waitUntil("an idle heartbeat", within: .seconds(3)) {
                let beat = try await harness.backend.workers().first?.lastHeartbeat
                return beat.map { $0 > record.lastHeartbeat } ?? false
            }
        }
        #expect(try await harness.backend.workers().isEmpty)
    }

    @Test func abandonedJobsOfDeadWorkersAreRecovered() async throws {
        let id = try await harness.enqueue("app.ghostly")
        let longAgo = Date().addingTimeInterval(-3600)
        _ = try await harness.backend.claim(from: ["default"], worker: "ghost.1", now: longAgo)
        try await withRunningWorker(harness.worker()) { _ in
            let job = try await harness.waitForJob(id) { $0.status != .started }
            #expect(job.status == .failed)
            #expect(job.error == "abandoned: worker ghost.1 stopped heartbeating")
        }
    }

    @Test func unknownQueueIsRefusedAtStart() async throws {
        let worker = harness.worker(queues: ["default", "nightly"], burst: true)
        let error = await #expect(throws: WorkerError.self) { try await worker.run() }
        #expect(error?.code == .invalidSetup)
        #expect(error?.details.contains("unknown queue 'nightly'") == true)
    }
}
