import Foundation
import Testing
import TockCore
import TockValues

/// What the store cannot read back is refused at enqueue, naming the field and the limit.
@Suite struct JobLimitsTests {
    let client = JobClient(backend: MemoryBackend(), configuration: Configuration())
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func nested(_ depth: Int) -> JSONValue {
        var value: JSONValue = 1
        for _ in 0..<depth { value = .array([value]) }
        return value
    }

    func refusal(_ request: EnqueueRequest) -> String? {
        do {
            _ = try client.makeJob(request, now: now)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func argsNestedAThousandDeepAreRefusedNamingTheFieldAndTheLimit() throws {
        // args itself is the first level: [[…[1]…]] with 1,000 arrays inside.
        let message = try #require(refusal(EnqueueRequest(name: "app.deep", args: [Self.nested(1_000)])))
        #expect(message == "job 'app.deep': args nests deeper than 64 levels; at most 64 are accepted")
        let kwargs = try #require(refusal(EnqueueRequest(name: "app.deep", kwargs: ["k": Self.nested(64)])))
        #expect(kwargs.contains("kwargs nests deeper than 64"))
        // At the limit: accepted, and the parser that reads rows back reads it.
        let job = try client.makeJob(EnqueueRequest(name: "app.deep", args: [Self.nested(63)]), now: now)
        #expect(try JSONParser.parse(JSONText.encode(.array(job.args))) == .array(job.args))
        #expect(JobLimits.maximumNesting + 2 <= JSONParser.maximumDepth, "RQ's data wraps args in one more list")
    }

    @Test func argumentsOverOneMebibyteAreRefused() throws {
        let big = String(repeating: "x", count: JobLimits.maximumArgumentBytes)
        let message = try #require(refusal(EnqueueRequest(name: "app.big", args: [.string(big)])))
        #expect(message.contains("args and kwargs take 1048582 bytes as JSON; at most 1048576 (1 MiB)"), "\(message)")
        let fits = String(repeating: "x", count: JobLimits.maximumArgumentBytes - 10)
        #expect(refusal(EnqueueRequest(name: "app.big", args: [.string(fits)])) == nil)
    }

    @Test func namesAreOneToTwoHundredPrintableCharacters() throws {
        let long = try #require(refusal(EnqueueRequest(name: String(repeating: "a", count: 10_000))))
        #expect(long.contains("is 10000 characters long; at most 200 are accepted"))
        #expect(refusal(EnqueueRequest(name: String(repeating: "é", count: 200))) == nil)
        #expect(refusal(EnqueueRequest(name: ""))?.contains("a job needs a name") == true)
        for bad in ["app.x\n", "app\u{0}x", "app\u{1B}[31m", "a\tb", "a\u{2028}b"] {
            #expect(refusal(EnqueueRequest(name: bad))?.contains("control character") == true, "\(bad.debugDescription)")
        }
        #expect(refusal(EnqueueRequest(name: "cabs_app.api.takes a long time")) == nil, "spaces are printable")
    }

    @Test func timeoutsRetriesAndIntervalsHaveBounds() {
        #expect(refusal(EnqueueRequest(name: "a", timeout: 0))?.contains("timeout must be from 1 to 3162240000 seconds") == true)
        #expect(refusal(EnqueueRequest(name: "a", timeout: Int.max))?.contains("got \(Int.max)") == true)
        #expect(refusal(EnqueueRequest(name: "a", timeout: JobLimits.maximumSeconds)) == nil)
        #expect(refusal(EnqueueRequest(name: "a", retry: RetryPolicy(max: 1_000_000)))?.contains("retries must be from 0 to 10000") == true)
        #expect(refusal(EnqueueRequest(name: "a", retry: RetryPolicy(max: 2, intervals: [10, -5])))?.contains("got -5") == true)
        #expect(refusal(EnqueueRequest(name: "a", retry: RetryPolicy(max: 2, intervals: [Int.max])))?.contains("retry intervals") == true)
    }

    @Test func timeoutBelowOneMeansNone() {
        let job = Job(id: JobID(unchecked: "j"), name: "a", queue: "default", timeout: Job.noTimeout, createdAt: now, origin: "rq")
        #expect(job.timeLimit == nil)
        #expect(Job(id: JobID(unchecked: "j"), name: "a", queue: "default", timeout: 90, createdAt: now, origin: "cli").timeLimit == 90)
    }

    @Test func progressReadBackIsClamped() {
        #expect(JobProgress(json: ["percent": 1e300])?.percent == 100)
        #expect(JobProgress(json: ["percent": -5, "message": "m"]) == JobProgress(percent: 0, message: "m"))
        #expect(JobProgress(json: ["percent": 42.5])?.percent == 42.5)
    }
}
