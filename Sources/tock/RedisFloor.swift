import CHiredis
import Foundation
import TockRedis

/// What any client could do on this machine against this server: hiredis called directly,
/// blocking, from one thread, with no job model, no Lua and no thread hand-off. Tock's and
/// RQ's enqueue figures are read against it: no client's one-by-one enqueue beats a `PING`
/// round trip, and no client's batch beats the server's cost of the writes RQ's layout needs
/// (a job hash of RQ's fields and the queue's `RPUSH`).
struct RedisFloor {
    var url: RedisURL
    /// Keys are created under this prefix (and deleted by the caller).
    var prefix: String

    struct Figures {
        /// One `PING` after another.
        var pingMicroseconds: Double
        /// `MULTI`, `HSET` of a job's fields, `RPUSH`, `EXEC` as one pipeline, one job after another.
        var oneByOnePerSecond: Double
        /// `HSET` + `RPUSH` per job, 1,000 jobs per pipeline.
        var batchPerSecond: Double
        /// The same plus what the issue also asks of every enqueue: the id checked first
        /// (`EXISTS`, idempotent ids) and the job's event on the stream (`XADD`).
        var batchWithEventPerSecond: Double
    }

    /// Runs on a thread of its own: hiredis blocks.
    func run() async throws -> Figures {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try measure() }) }
            thread.start()
        }
    }

    private func measure() throws -> Figures {
        let context: UnsafeMutablePointer<redisContext>? = switch url.endpoint {
        case let .tcp(host, port): redisConnect(host, Int32(port))
        case let .unix(path): redisConnectUnix(path)
        }
        guard let context, context.pointee.err == 0 else { throw BenchmarkError("floor: cannot connect to \(url)") }
        defer { redisFree(context) }
        if let password = url.password {
            try call(context, [RedisCommand(url.username.map { ["AUTH", .init($0), .init(password)] } ?? ["AUTH", .init(password)])])
        }
        if url.database != 0 { try call(context, [RedisCommand(["SELECT", .init(url.database)])]) }

        let ping = RedisCommand(["PING"])
        for _ in 0..<500 { try call(context, [ping]) }
        let pings = 10_000
        let clock = ContinuousClock()
        var started = clock.now
        for _ in 0..<pings { try call(context, [ping]) }
        let pingMicroseconds = (clock.now - started).seconds * 1e6 / Double(pings)

        let single = 10_000
        started = clock.now
        for index in 0..<single {
            try call(context, [RedisCommand(["MULTI"])] + writes(job: "s\(index)") + [RedisCommand(["EXEC"])])
        }
        let oneByOne = Double(single) / (clock.now - started).seconds

        let batches = 50
        started = clock.now
        for batch in 0..<batches {
            try call(context, (0..<1000).flatMap { writes(job: "b\(batch)-\($0)") })
        }
        let batched = Double(batches * 1000) / (clock.now - started).seconds

        started = clock.now
        for batch in 0..<batches {
            try call(context, (0..<1000).flatMap { writes(job: "e\(batch)-\($0)", withEvent: true) })
        }
        let withEvent = Double(batches * 1000) / (clock.now - started).seconds
        return Figures(
            pingMicroseconds: pingMicroseconds, oneByOnePerSecond: oneByOne, batchPerSecond: batched,
            batchWithEventPerSecond: withEvent)
    }

    /// A new job's hash with the fields RQ 2.12 writes (and Tock's origin), and its queue push;
    /// `withEvent`: also the check that its id is new and its event on a bounded stream.
    private func writes(job: String, withEvent: Bool = false) -> [RedisCommand] {
        let key = RedisArgument("\(prefix)job:\(job)")
        let now = RedisArgument("2026-11-29T21:39:38.154385Z")
        let data = RedisArgument([UInt8](repeating: 0x78, count: 30))
        let check = withEvent ? [RedisCommand(["EXISTS", key])] : []
        let event = withEvent
            ? [RedisCommand([
                "XADD", RedisArgument("\(prefix)events"), "MAXLEN", "~", "100000", "*", "job", RedisArgument(job), "queue", "default",
                "status", "queued", "at", now,
            ])] : []
        return check + [
            RedisCommand([
                "HSET", key, "data", data, "created_at", now, "success_callback_name", "", "failure_callback_name", "",
                "stopped_callback_name", "", "started_at", "", "ended_at", "", "last_heartbeat", "", "worker_name", "",
                "group_id", "", "status", "queued", "origin", "default", "description", "tock.noop()", "timeout", "300",
                "retries_left", "0", "tock_origin", "bench", "enqueued_at", now,
            ]),
            RedisCommand(["RPUSH", RedisArgument("\(prefix)queue:default"), RedisArgument(job)]),
        ] + event
    }

    /// Writes `commands` as one pipeline and reads every reply.
    private func call(_ context: UnsafeMutablePointer<redisContext>, _ commands: [RedisCommand]) throws {
        for command in commands {
            let status = command.encoded.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { redisAppendFormattedCommand(context, $0.baseAddress, $0.count) }
            }
            guard status == REDIS_OK else { throw BenchmarkError("floor: write failed") }
        }
        for _ in commands {
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(context, &reply) == REDIS_OK, let reply else { throw BenchmarkError("floor: read failed") }
            let type = reply.assumingMemoryBound(to: redisReply.self).pointee.type
            freeReplyObject(reply)
            if type == REDIS_REPLY_ERROR { throw BenchmarkError("floor: the server replied with an error") }
        }
    }
}
