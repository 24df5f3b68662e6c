import Foundation
import Testing
import TockSystemd

/// What `tock serve` learns about a socket systemd passed: real sockets, bound (and
/// listening) on ephemeral ports, described from their descriptors. The non-loopback ones
/// (`0.0.0.0`, `::`) never accept a connection and are closed at once.
@Suite struct InheritedSocketTests {
    /// A socket of `family`/`type` bound to `address`, listening if asked; closed by the caller.
    static func socket(_ family: Int32, _ type: Int32, _ address: String, listening: Bool = true) throws -> Int32 {
        let descriptor = Glibc.socket(family, type, 0)
        guard descriptor >= 0 else { throw POSIXError(.EAFNOSUPPORT) }
        var bound: Int32
        if family == AF_INET {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, address, &socketAddress.sin_addr)
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else if family == AF_INET6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &socketAddress.sin6_addr)
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var socketAddress = sockaddr_un()
            socketAddress.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(address.utf8) + [0]
            withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
                for (index, byte) in bytes.prefix(raw.count).enumerated() { raw[index] = byte }
            }
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        guard bound == 0, !listening || listen(descriptor, 1) == 0 else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return descriptor
    }

    static let stream = Int32(SOCK_STREAM.rawValue)

    @Test func aLoopbackTCPSocketIsLocalWithItsAddressAndPort() throws {
        let descriptor = try Self.socket(AF_INET, Self.stream, "127.0.0.1")
        defer { close(descriptor) }
        let socket = try InheritedSocket(descriptor: descriptor)
        #expect(socket.family == .ipv4 && socket.host == "127.0.0.1" && socket.isLocal)
        #expect(socket.port > 0)
        #expect(socket.description == "127.0.0.1:\(socket.port)")
    }

    @Test(arguments: [(AF_INET6, "::1", true), (AF_INET6, "::ffff:127.0.0.1", true), (AF_INET, "0.0.0.0", false), (AF_INET6, "::", false)])
    func onlyLoopbackAddressesAreLocal(family: Int32, address: String, local: Bool) throws {
        let descriptor = try Self.socket(family, Self.stream, address)
        defer { close(descriptor) }
        let socket = try InheritedSocket(descriptor: descriptor)
        #expect(socket.host == address)
        #expect(socket.isLocal == local, "\(socket)")
        if family == AF_INET6 { #expect(socket.description.hasPrefix("[\(address)]:")) }
    }

    @Test func aUnixSocketIsLocalAndNamedByItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tock-\(UUID().uuidString.prefix(8)).sock").path
        let descriptor = try Self.socket(AF_UNIX, Self.stream, path)
        defer {
            close(descriptor)
            unlink(path)
        }
        let socket = try InheritedSocket(descriptor: descriptor)
        #expect(socket.family == .unix && socket.isLocal && socket.port == 0)
        #expect(socket.description == "unix:\(path)")
    }

    @Test func aDatagramSocketIsRefusedNamingListenStream() throws {
        let descriptor = try Self.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), "127.0.0.1", listening: false)
        defer { close(descriptor) }
        let error = #expect(throws: InheritedSocketError.self) { try InheritedSocket(descriptor: descriptor) }
        #expect(error?.description.contains("file descriptor \(descriptor) passed by systemd is not a stream socket") == true)
        #expect(error?.description.contains("ListenStream=") == true)
    }

    @Test func aSocketThatDoesNotListenIsRefusedNamingAccept() throws {
        let descriptor = try Self.socket(AF_INET, Self.stream, "127.0.0.1", listening: false)
        defer { close(descriptor) }
        let error = #expect(throws: InheritedSocketError.self) { try InheritedSocket(descriptor: descriptor) }
        #expect(error?.description.contains("is not listening") == true && error?.description.contains("Accept=no") == true)
    }

    @Test func aPipeIsNotASocket() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        let error = #expect(throws: InheritedSocketError.self) { try InheritedSocket(descriptor: ends[0]) }
        #expect(error == InheritedSocketError(descriptor: ends[0], problem: "is not a socket"))
    }
}

extension ProcessEnvironmentTests {
    /// `LISTEN_FDS` / `LISTEN_PID` as `sd_listen_fds` reads them.
    @Suite struct ListenFileDescriptorsTests {
        @Test func noSocketsWithoutTheVariablesOrForAnotherProcess() throws {
            let unset = try withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil]) { () throws in try ListenFileDescriptors.take() }
            #expect(unset.isEmpty)
            let other = getpid() == 1 ? "2" : "1"
            try withEnvironment(["LISTEN_FDS": "2", "LISTEN_PID": other]) { () throws in
                let taken = try ListenFileDescriptors.take()
                #expect(taken.isEmpty)
                // Taken (or not ours): unset, so that no process started later takes them.
                #expect(getenv("LISTEN_FDS") == nil && getenv("LISTEN_PID") == nil)
            }
        }

        @Test func malformedVariablesAreAnError() {
            withEnvironment(["LISTEN_FDS": "many", "LISTEN_PID": String(getpid())]) {
                _ = #expect(throws: SystemdError.self) { try ListenFileDescriptors.take() }
            }
        }
    }
}
