import Foundation
import TockCore
import TockValues

/// What `JobLimits` admits at enqueue, every backend must read back; and numbers at the
/// edges (no timeout, listing limits) must not trap.
enum LimitChecks {
    @Sendable static func jobsAtTheLimitsReadBack(_ backend: any TockBackend) async throws {
        var deep: JSONValue = "bottom"
        // args itself is the first level.
        for _ in 1..<JobLimits.maximumNesting { deep = .array([deep]) }
        try expect(JobLimits.nestingProblem(.array([deep]), field: "args") == nil, "the deep args are within the limit")
        let name = String(repeating: "n", count: JobLimits.maximumNameLength)
        // kwargs with args take just under the size limit.
        let filler = String(repeating: "x", count: JobLimits.maximumArgumentBytes - 300)
        var job = makeJob("at-limits", name: name, args: [deep], kwargs: ["filler": .string(filler)])
        job.timeout = Job.noTimeout
        try expect(JobLimits.sizeProblem(args: job.args, kwargs: job.kwargs) == nil, "the args are within the size limit")
        _ = try await backend.enqueue([job], maxQueued: [:])
        try expectEqual(try await backend.job(job.id), job, "job read back")
        let claimed = try await backend.claim(from: ["default"], worker: "w", now: t0 + 1)
        try expectEqual(claimed?.args, job.args, "args claimed")
        try expectEqual(claimed?.timeLimit, nil, "no timeout claimed")
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: 10)).map(\.name), [name], "listing")
    }

    @Sendable static func listingLimitsAtTheEdgesDoNotTrap(_ backend: any TockBackend) async throws {
        _ = try await backend.enqueue([makeJob("a"), makeJob("b", at: t0 + 1)], maxQueued: [:])
        for limit in [0, -1, Int.min] {
            try expectEqual(try await backend.jobs(matching: JobFilter(limit: limit)).count, 0, "listing with limit \(limit)")
        }
        try expectEqual(try await backend.jobs(matching: JobFilter(limit: Int.max)).count, 2, "listing with limit Int.max")
    }
}
