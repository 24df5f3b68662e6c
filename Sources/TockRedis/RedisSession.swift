import CHiredis
import Foundation
import Logging

/// The hiredis context of one connection. Used only on the connection's serial queue, so its
/// blocking calls never run on Swift's cooperative thread pool. `@unchecked Sendable` because
/// that queue, not the compiler, serializes access.
final class RedisSession: @unchecked Sendable {
    let url: RedisURL
    let options: RedisConnection.Options
    let logger: Logger
    private var context: UnsafeMutablePointer<redisContext>?
    private var connectedBefore = false

    init(url: RedisURL, options: RedisConnection.Options, logger: Logger) {
        self.url = url
        self.options = options
        self.logger = logger
    }

    deinit { close() }

    func close() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Runs one command, connecting first if needed.
    func command(_ command: RedisCommand) throws(RedisError) -> RedisValue {
        let context = try connected()
        do {
            return try self.command(command, on: context)
        } catch {
            throw dropping(error)
        }
    }

    /// A reply hiredis has already read and not handed out, if any; no I/O. (Pub/sub
    /// messages arrive several to a read.)
    func bufferedReply() throws(RedisError) -> RedisValue? {
        guard let context else { return nil }
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
            throw dropping(failure(context, during: "reading a pushed message"))
        }
        return raw.map(Self.taken)
    }

    /// Waits up to `timeout` for the socket to have something to read; false on timeout
    /// or when not connected.
    func waitReadable(_ timeout: Duration) -> Bool {
        guard let context else { return false }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(Self.seconds(timeout) * 1000)) > 0
    }

    /// Reads the next reply without sending anything (a pub/sub message), blocking.
    func nextReply() throws(RedisError) -> RedisValue {
        guard let context else { throw RedisError.protocolError("not connected: nothing to read") }
        do {
            return try readReply(context, during: "reading a pushed message")
        } catch {
            throw dropping(error)
        }
    }

    /// Closes the context after an error that leaves it unusable; the next command reconnects.
    private func dropping(_ error: RedisError) -> RedisError {
        switch error {
        case .connectionLost, .protocolError:
            logger.warning("redis connection dropped", metadata: ["endpoint": "\(url.endpointDescription)", "error": "\(error)"])
            close()
        default: break
        }
        return error
    }

    /// Appends every command, then reads every reply (error replies stay values).
    func pipeline(_ commands: [RedisCommand]) throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        for command in commands where command.count == 0 { throw RedisError.protocolError("empty command in pipeline") }
        let context = try connected()
        let name = "pipeline of \(commands.count) commands"
        for command in commands {
            let status = Self.append(command, to: context)
            if status != REDIS_OK { throw dropping(failure(context, during: name)) }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        do {
            for _ in commands { replies.append(try readReply(context, during: name)) }
        } catch {
            throw dropping(error)
        }
        return replies
    }

    private func command(_ command: RedisCommand, on context: UnsafeMutablePointer<redisContext>) throws(RedisError) -> RedisValue {
        guard command.count > 0 else { throw RedisError.protocolError("empty command") }
        guard Self.append(command, to: context) == REDIS_OK else { throw failure(context, during: command.name) }
        return try readReply(context, during: command.name)
    }

    /// Reads the next reply, blocking (writing what is still buffered first).
    private func readReply(_ context: UnsafeMutablePointer<redisContext>, during name: String) throws(RedisError) -> RedisValue {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure(context, during: name) }
        return Self.taken(raw)
    }

    /// A hiredis reply copied into a ``RedisValue``, and freed.
    private static func taken(_ raw: UnsafeMutableRawPointer) -> RedisValue {
        defer { freeReplyObject(raw) }
        return RedisValue(reply: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// The error hiredis left on `context` after a failed call.
    private func failure(_ context: UnsafeMutablePointer<redisContext>, during command: String) -> RedisError {
        let reason = Self.errorText(context)
        if context.pointee.err == REDIS_ERR_PROTOCOL { return .protocolError("\(reason) (during \(command) at \(url.endpointDescription))") }
        return .connectionLost(endpoint: url.endpointDescription, command: command, reason: reason)
    }

    /// The open context, or a new one: reconnects with exponential backoff on connection failures.
    private func connected() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        var delay = options.reconnectBackoff
        var attempt = 0
        while true {
            do throws(RedisError) {
                let context = try open()
                if connectedBefore { logger.notice("redis reconnected", metadata: ["endpoint": "\(url.endpointDescription)"]) }
                connectedBefore = true
                self.context = context
                return context
            } catch where error.isConnectionError && attempt < options.reconnectAttempts {
                attempt += 1
                logger.debug("redis connect failed, retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: Self.seconds(delay))
                delay = min(delay * 2, options.maximumBackoff)
            }
        }
    }

    /// Connects, authenticates and selects the database.
    private func open() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        let timeout = Self.makeTimeval(options.connectTimeout)
        let made: UnsafeMutablePointer<redisContext>? = switch url.endpoint {
        case let .tcp(host, port): redisConnectWithTimeout(host, Int32(port), timeout)
        case let .unix(path): redisConnectUnixWithTimeout(path, timeout)
        }
        guard let context = made else {
            throw RedisError.connectionFailed(endpoint: url.endpointDescription, reason: "hiredis could not allocate a context")
        }
        if context.pointee.err != 0 {
            let reason = Self.errorText(context)
            redisFree(context)
            throw RedisError.connectionFailed(endpoint: url.endpointDescription, reason: reason)
        }
        do throws(RedisError) {
            if let commandTimeout = options.commandTimeout {
                _ = redisSetTimeout(context, Self.makeTimeval(commandTimeout))
            }
            if let password = url.password {
                let auth: [RedisArgument] = url.username.map { ["AUTH", .init($0), .init(password)] } ?? ["AUTH", .init(password)]
                if case let .error(message) = try command(RedisCommand(auth), on: context) {
                    throw RedisError.authenticationFailed(endpoint: url.endpointDescription, user: url.username, message: message)
                }
            }
            if url.database != 0, case let .error(message) = try command(RedisCommand(["SELECT", .init(url.database)]), on: context) {
                throw RedisError.server(command: "SELECT \(url.database)", message: message)
            }
            return context
        } catch {
            redisFree(context)
            throw error
        }
    }

    static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "error code \(context.pointee.err)" : text
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func makeTimeval(_ duration: Duration) -> timeval {
        let (seconds, attoseconds) = duration.components
        return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// Adds `command` to the context's output buffer. hiredis' own formatting goes through
    /// `sdscatfmt` for every argument; ``RedisCommand`` is RESP already.
    private static func append(_ command: RedisCommand, to context: UnsafeMutablePointer<redisContext>) -> Int32 {
        for part in [command.header, command.body] {
            let status = part.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { redisAppendFormattedCommand(context, $0.baseAddress, $0.count) }
            }
            if status != REDIS_OK { return status }
        }
        return REDIS_OK
    }
}
