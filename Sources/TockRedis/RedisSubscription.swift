import Foundation
import Logging
import Synchronization

/// Messages published on the channels matching a pattern (`PSUBSCRIBE`), delivered to a
/// handler, on a connection and a thread of its own: a subscribed connection takes no
/// other command, and hiredis blocks. Reconnects (and subscribes again) after a lost
/// connection, with backoff, until ``stop()``; a refused `PSUBSCRIBE` (ACL) is logged and
/// ends it. Messages published while disconnected are lost, as pub/sub's are.
public final class RedisSubscription: Sendable {
    /// Where it connects, and the pattern, e.g. `rq:pubsub:*`.
    public let url: RedisURL
    public let pattern: String
    private let handler: @Sendable (_ channel: String, _ message: [UInt8]) -> Void
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    /// Subscribes at once, and calls `handler` on the subscription's thread for every message.
    public init(
        url: RedisURL, pattern: String, logger: Logger = Logger(label: "tock.redis"),
        handler: @escaping @Sendable (_ channel: String, _ message: [UInt8]) -> Void
    ) {
        self.url = url
        self.pattern = pattern
        self.handler = handler
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "tock.redis subscription"
        thread.start()
    }

    /// Ends the subscription within a second; the handler is not called after.
    public func stop() { stopped.store(true, ordering: .relaxed) }

    private func run() {
        // Reconnection is this loop's: the session tries once per round.
        let session = RedisSession(url: url, options: RedisConnection.Options(reconnectAttempts: 0), logger: logger)
        var backoff = Duration.milliseconds(50)
        while !stopped.load(ordering: .relaxed) {
            do throws(RedisError) {
                if case .error(let message) = try session.command(RedisCommand(["PSUBSCRIBE", RedisArgument(pattern)])) {
                    // Refused (an ACL without this channel pattern): retrying would not help.
                    logger.warning("redis subscription refused", metadata: ["pattern": "\(pattern)", "error": "\(message)"])
                    break
                }
                backoff = .milliseconds(50)
                try deliver(from: session)
            } catch {
                if stopped.load(ordering: .relaxed) { break }
                logger.debug("redis subscription interrupted", metadata: ["pattern": "\(pattern)", "error": "\(error)"])
                session.close()
                Thread.sleep(forTimeInterval: RedisSession.seconds(backoff))
                backoff = min(backoff * 2, .seconds(1))
            }
        }
        session.close()
    }

    /// Hands each message to the handler until stopped; looks at the stop flag every second.
    private func deliver(from session: RedisSession) throws(RedisError) {
        while !stopped.load(ordering: .relaxed) {
            let reply: RedisValue
            if let buffered = try session.bufferedReply() {
                reply = buffered
            } else if session.waitReadable(.seconds(1)) {
                reply = try session.nextReply()
            } else {
                continue
            }
            // ["pmessage", pattern, channel, message]
            guard let parts = reply.array, parts.count == 4, parts[0].string == "pmessage", let channel = parts[2].string,
                let message = parts[3].bytes
            else { continue }
            if !stopped.load(ordering: .relaxed) { handler(channel, message) }
        }
    }
}
