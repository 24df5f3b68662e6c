import Foundation
import Testing
import TockCore
import TockTestSupport
import TockValues
@testable import TockRedis

/// Numbers in a job hash any client can write: RQ's special values as RQ 2.12 reads them,
/// and values out of range fail that one job (naming the field), never trap.
@Suite struct RQNumberTests {
    let zlib = RQZlib()

    func hash(_ fields: [String: String]) -> [String: [UInt8]] {
        var hash = fields.mapValues { Array($0.utf8) }
        hash["data"] = RQJobData.encode(name: "app.work", args: [], kwargs: [:], zlib: zlib)
        hash["status"] = Array("queued".utf8)
        return hash
    }

    func read(_ fields: [String: String]) throws(RQJobHash.Unreadable) -> Job {
        try RQJobHash.job(id: "j1", hash: hash(fields), latestResult: nil, zlib: zlib)
    }

    @Test func timeoutSpecialValuesAreRQs() throws {
        #expect(try read([:]).timeout == 180, "absent: RQ's Queue.DEFAULT_TIMEOUT")
        #expect(try read(["timeout": ""]).timeout == 180)
        #expect(try read(["timeout": "0"]).timeout == 180, "RQ's worker: job.timeout or DEFAULT_TIMEOUT")
        #expect(try read(["timeout": "-1"]).timeLimit == nil, "RQ's -1: no timeout")
        #expect(try read(["timeout": "-7"]).timeLimit == nil)
        #expect(try read(["timeout": "90"]).timeLimit == 90)
        #expect(try read(["timeout": "1.5"]).timeLimit == 2, "a fraction rounds up")
        #expect(try read(["timeout": "1e12"]).timeLimit == JobLimits.maximumSeconds)
        // Written back as RQ writes "none".
        let none = try read(["timeout": "-1"])
        #expect(RQJobHash.fields(none)["timeout"] == "-1")
    }

    @Test func ttlSpecialValuesAreRQs() throws {
        #expect(try read([:]).resultTTL == nil && (try read([:]).failureTTL) == nil, "absent: the configured TTLs")
        #expect(try read(["result_ttl": "0", "failure_ttl": "0"]).resultTTL == 0, "0: expires as soon as it ends")
        #expect(try read(["result_ttl": "-1"]).resultTTL == -1, "-1: kept until deleted")
        #expect(try read(["failure_ttl": "-5"]).failureTTL == -1)
        let ended = try read(["result_ttl": "-1"]).claimed(by: "w", now: Date()).completed(.finished(nil, resultTTL: 600), now: Date())
        #expect(ended.expiresAt == nil)
        let gone = try read(["result_ttl": "0"]).claimed(by: "w", now: Date(timeIntervalSince1970: 5)).completed(
            .finished(nil, resultTTL: 600), now: Date(timeIntervalSince1970: 5))
        #expect(gone.expiresAt == Date(timeIntervalSince1970: 5))
    }

    @Test(arguments: ["timeout", "result_ttl", "failure_ttl", "retries_left"], ["nan", "inf", "-inf", "1e300", "-1e300", "abc", "0x10", "99999999999999999999"])
    func numbersOutOfRangeMakeTheJobUnreadableNamingTheField(_ field: String, _ value: String) {
        do {
            let job = try read([field: value])
            Issue.record("\(field) \(value) read as \(job)")
        } catch {
            let expected = ["timeout": "an integer number of seconds, -1 for none", "retries_left": "an integer"][field]
                ?? "an integer number of seconds, -1 to keep it"
            #expect(error.description == "job 'j1' in Redis cannot be read: \(field) '\(value)' is out of range: expected \(expected)")
        }
        // What listings show: the job, failed to read, with the reason.
        let placeholder = RQJobHash.placeholder(id: "j1", hash: hash([field: value]), reason: "why", zlib: zlib)
        #expect(placeholder.name == "app.work" && placeholder.error == "why")
    }

    /// Any text in any numeric field of a job hash: read, or unreadable naming the field —
    /// and a placeholder for listings either way. Never a trap.
    @Test func anyTextInAnyNumericFieldNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        var texts = ["nan", "-nan", "inf", "-inf", "1e300", "-1e300", "-0", "9223372036854775808", "1e19", "-1e19", "0x7f", "", " 1", "1.0e-400"]
        for _ in 0..<300 {
            texts.append("\(Double(bitPattern: generator.next()))")
            texts.append(String(Int.random(in: .min ... .max, using: &generator)))
        }
        let fields = ["timeout", "result_ttl", "failure_ttl", "retries_left", "retry_intervals", "tock_progress", "created_at"]
        for field in fields {
            for text in texts {
                do {
                    let job = try read([field: text])
                    #expect(job.timeout == Job.noTimeout || (1...JobLimits.maximumSeconds).contains(job.timeout))
                    #expect(job.retriesLeft >= 0)
                } catch {
                    #expect(error.detail.hasPrefix(field), "\(error)")
                }
                let placeholder = RQJobHash.placeholder(id: "j1", hash: hash(["retry_intervals": "[\(text)]"].merging([field: text]) { $1 }), reason: "r", zlib: zlib)
                #expect(placeholder.error == "r")
            }
        }
    }

    @Test func retryIntervalsAreChecked() throws {
        #expect(try read(["retry_intervals": "[10, 60.5]"]).retryIntervals == [10, 61])
        for bad in ["[1e300]", "[-1]", "[\"x\"]", "nope", "{}"] {
            #expect(throws: RQJobHash.Unreadable.self, "\(bad)") { try read(["retry_intervals": bad]) }
        }
    }
}

/// The same against a real redis-server: a hash another client damaged fails that job, and
/// the queue, the listing and abandoned-job recovery go on.
@Suite(.serialized, .enabled(if: RedisServer.isInstalled, "redis-server is not installed"))
struct RQDamagedHashTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func job(_ id: String, at offset: Double) -> Job {
        Job(id: JobID(unchecked: id), name: "app.work", queue: "default", timeout: 60, createdAt: t0 + offset,
            enqueuedAt: t0 + offset, origin: "cli")
    }

    @Test(arguments: ["nan", "inf", "1e300"])
    func aTimeoutOfNaNFailsThatJobAndTheClaimTakesTheNext(_ value: String) async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let backend = try await RedisBackend.connect(url: server.url())
        let redis = try await RedisConnection.connect(to: server.url())
        _ = try await backend.enqueue([job("bad", at: 0), job("good", at: 1)], maxQueued: [:])
        try await redis.send(["HSET", "rq:job:bad", "timeout", RedisArgument(value)])

        // `tock jobs` lists both; the damaged one with what is wrong.
        let listed = try await backend.jobs(matching: JobFilter())
        #expect(Set(listed.map(\.id.rawValue)) == ["bad", "good"])
        #expect(listed.first { $0.id.rawValue == "bad" }?.error?.contains("timeout '\(value)' is out of range") == true)

        let claimed = try await backend.claim(from: ["default"], worker: "w", now: t0 + 2)
        #expect(claimed?.id.rawValue == "good")
        let bad = try #require(try await backend.job(JobID(unchecked: "bad")))
        #expect(bad.status == .failed)
        #expect(bad.error == "timeout '\(value)' is out of range: expected an integer number of seconds, -1 for none")
        #expect(try await backend.claim(from: ["default"], worker: "w", now: t0 + 3) == nil)
    }

    @Test func abandonedRecoveryGoesOnPastADamagedStartedJob() async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let backend = try await RedisBackend.connect(url: server.url())
        let redis = try await RedisConnection.connect(to: server.url())
        _ = try await backend.enqueue([job("a", at: 0), job("b", at: 1)], maxQueued: [:])
        _ = try await backend.claim(from: ["default"], worker: "dead", now: t0 + 2)
        _ = try await backend.claim(from: ["default"], worker: "dead", now: t0 + 2)
        try await redis.send(["HSET", "rq:job:a", "timeout", "nan", "retries_left", "1e300", "result_ttl", "inf"])
        let recovered = try await backend.recoverAbandonedJobs(now: t0 + 100, heartbeatTimeout: 30, failureTTL: 100)
        #expect(Set(recovered.map(\.id.rawValue)) == ["a", "b"])
        #expect(try await backend.job(JobID(unchecked: "b"))?.status == .failed)
        #expect(try await backend.job(JobID(unchecked: "a"))?.status == .failed)
    }

    @Test func listingLimitsOutOfRangeDoNotTrap() async throws {
        let server = try await RedisServer()
        defer { server.stop() }
        let backend = try await RedisBackend.connect(url: server.url())
        _ = try await backend.enqueue([job("a", at: 0)], maxQueued: [:])
        for limit in [-1, 0, Int.min] { #expect(try await backend.jobs(matching: JobFilter(limit: limit)).isEmpty) }
        #expect(try await backend.jobs(matching: JobFilter(limit: Int.max)).count == 1)
    }
}
