import Foundation
import TockCore
import TockValues

/// Properties over random jobs from a fixed seed: whatever a backend accepts at enqueue,
/// it reads back equal, by id and in listings, and what it claims carries the same call.
enum PropertyChecks {
    /// How many random jobs ``randomJobsReadBackEqual(_:)`` writes.
    static let jobCount = 200

    @Sendable static func randomJobsReadBackEqual(_ backend: any TockBackend) async throws {
        var random = SeededRandom(seed: 0x70C4_2026)
        var accepted: [Job] = []
        for index in 0..<jobCount {
            let job = randomJob(index, &random)
            do {
                let outcomes = try await backend.enqueue([job], maxQueued: [:])
                try expectEqual(outcomes.map(\.created), [true], "job \(index) created")
            } catch let error as TockError {
                // Refused at write: allowed, as long as nothing of it was stored.
                try expectEqual(try await backend.job(job.id), nil, "job \(index) refused (\(error)) yet stored")
                continue
            }
            accepted.append(job)
            let stored = try await backend.job(job.id)
            try expect(stored == job, "job \(index) read back (seed 0x70C42026): \(differences(stored, job))")
        }
        try expect(accepted.count > jobCount / 2, "only \(accepted.count) of \(jobCount) random jobs accepted")
        let listed = try await backend.jobs(matching: JobFilter(limit: jobCount * 2))
        try expectEqual(Set(listed.map(\.id)), Set(accepted.map(\.id)), "jobs listed")
        for job in listed {
            let written = accepted.first { $0.id == job.id }
            try expect(job == written, "job \(job.id.rawValue) as listed: \(differences(job, written))")
        }
        // A claim carries the stored call: the queued job of each queue, in turn.
        let queues = Array(Set(accepted.filter { $0.status == .queued }.map(\.queue))).sorted()
        for queue in queues {
            guard let claimed = try await backend.claim(from: [queue], worker: "prop", now: t0) else {
                throw ConformanceFailure("nothing claimed from queue '\(queue)'")
            }
            guard let stored = accepted.first(where: { $0.id == claimed.id }) else {
                throw ConformanceFailure("claimed unknown job \(claimed.id.rawValue)")
            }
            try expectEqual(claimed.args, stored.args, "args of claimed \(claimed.id.rawValue)")
            try expectEqual(claimed.kwargs, stored.kwargs, "kwargs of claimed \(claimed.id.rawValue)")
            try expectEqual(claimed.timeLimit, stored.timeLimit, "time limit of claimed \(claimed.id.rawValue)")
            try expectEqual(claimed.retriesLeft, stored.retriesLeft, "retries of claimed \(claimed.id.rawValue)")
            try expectEqual(claimed.retryIntervals, stored.retryIntervals, "retry intervals of claimed \(claimed.id.rawValue)")
        }
    }

    /// The fields in which `read` differs from `written`, as `field: read ≠ written`.
    static func differences(_ read: Job?, _ written: Job?) -> String {
        guard let read, let written else { return "read \(read.map { _ in "a job" } ?? "nothing")" }
        let fields = zip(Mirror(reflecting: read).children, Mirror(reflecting: written).children)
        return fields.compactMap { a, b in
            "\(a.value)" == "\(b.value)" && String(reflecting: a.value) == String(reflecting: b.value)
                ? nil : "\(a.label ?? "?"): \(String(reflecting: a.value).prefix(300)) ≠ \(String(reflecting: b.value).prefix(300))"
        }.joined(separator: "; ")
    }

    /// A random job as a client could enqueue it, within ``TockValues/JobLimits``: a
    /// printable name (up to the longest allowed), args and kwargs of random JSON (now and
    /// then nested to the limit), a timeout or none, a retry policy, queued or scheduled,
    /// times at whole microseconds (what every backend keeps).
    static func randomJob(_ index: Int, _ random: inout SeededRandom) -> Job {
        func time() -> Date {
            MicrosecondTime.date(Int64.random(in: 946_684_800_000_000...4_102_444_800_000_000, using: &random))
        }
        let nameScalars = Array("abcdefghijklmnopqrstuvwxyz_.-:ÉéÜ中😀 0123456789".unicodeScalars)
        let nameLength = Bool.random(using: &random) ? JobLimits.maximumNameLength : Int.random(in: 1...40, using: &random)
        var name = String(String.UnicodeScalarView((0..<nameLength).map { _ in nameScalars.randomElement(using: &random)! }))
        if name.first == " " { name = "n" + name.dropFirst() }
        var args = (0..<Int.random(in: 0...4, using: &random)).map { _ in RandomJSON.value(&random) }
        if Int.random(in: 0..<10, using: &random) == 0 {
            var deep: JSONValue = .string(RandomJSON.string(&random))
            for _ in 1..<JobLimits.maximumNesting { deep = .array([deep]) }
            args.append(deep)
        }
        let kwargs = RandomJSON.members(&random)
        let timeouts = [Job.noTimeout, 1, Int.random(in: 1...86_400, using: &random), JobLimits.maximumSeconds]
        let scheduled = Int.random(in: 0..<4, using: &random) == 0
        let createdAt = time()
        let queue = ["default", "short", "long", "reports", "q-\(Int.random(in: 0...99, using: &random))"].randomElement(using: &random)!
        return Job(
            id: JobID(unchecked: "prop-\(index)"), name: name, args: args, kwargs: kwargs, queue: queue,
            timeout: timeouts.randomElement(using: &random)!, status: scheduled ? .scheduled : .queued,
            createdAt: createdAt, enqueuedAt: scheduled ? nil : createdAt,
            retriesLeft: [0, 1, Int.random(in: 0...JobLimits.maximumRetries, using: &random), JobLimits.maximumRetries].randomElement(using: &random)!,
            retryIntervals: (0..<Int.random(in: 0...4, using: &random)).map { _ in Int.random(in: 0...JobLimits.maximumSeconds, using: &random) },
            batch: Bool.random(using: &random) ? "batch-\(index % 7)" : nil,
            origin: ["cli", "scheduler", "api", "test"].randomElement(using: &random)!,
            scheduledFor: scheduled ? time() : nil)
    }
}
