import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import TockSystemd

/// Serves the API's router on a listening socket systemd passed (`tock-api.socket`).
///
/// Why it exists: Hummingbird 2.28's `Application` can only bind a host and port or a unix
/// path itself; it cannot adopt a descriptor that is already bound and listening. This is
/// the part of `Application.run()` and HummingbirdCore's `Server.run()` that Tock needs,
/// on NIO's `ServerBootstrap.bind(_:)` for an existing socket: the same HTTP/1 channel, the
/// same request context, `Date` and `Server` headers, and the same graceful shutdown — stop
/// accepting, let requests in flight finish, close idle connections.
struct InheritedSocketServer: Service {
    let socket: InheritedSocket
    let responder: RouterResponder<BasicRequestContext>
    let serverName: String
    let onServerRunning: @Sendable (any Channel) async -> Void
    let logger: Logger

    func run() async throws {
        let (responder, logger, serverName) = (self.responder, self.logger, self.serverName)
        let http = HTTP1Channel(responder: { request, writer, channel in
            let requestLogger = logger.with(metadataKey: "hb.request.id", value: .stringConvertible(RequestID()))
            let context = BasicRequestContext(source: .init(channel: channel, logger: requestLogger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                requestLogger.debug("unrecognised error: \(error)")
                response = Response(status: .internalServerError)
            }
            response.headers[.date] = HTTPDate.now()
            response.headers[.server] = serverName
            try await writer.write(response: response.head, body: response.body)
        })
        let group = MultiThreadedEventLoopGroup.singleton
        let quiescing = ServerQuiescingHelper(group: group)
        let server = try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .bind(NIOBSDSocket.Handle(socket.descriptor)) { (channel: any Channel) -> EventLoopFuture<HTTP1Channel.Value> in
                http.setup(channel: channel, logger: logger)
            }
        await withGracefulShutdownHandler {
            await onServerRunning(server.channel)
            await withDiscardingTaskGroup { connections in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await http.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("accepting connections on \(socket): \(error)")
                }
            }
        } onGracefulShutdown: {
            // Closes the listening socket (ending `inbound` above) and asks every connection
            // to close once its request in flight is answered; the task group waits for them.
            quiescing.initiateShutdown(promise: nil)
        }
    }
}

extension Logger {
    fileprivate func with(metadataKey key: String, value: MetadataValue) -> Logger {
        var logger = self
        logger[metadataKey: key] = value
        return logger
    }
}

/// The `Date` header's IMF-fixdate (RFC 9110 §5.6.7): `Tue, 08 Dec 2026 01:11:48 GMT`.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String { text(time(nil)) }

    static func text(_ seconds: time_t) -> String {
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
