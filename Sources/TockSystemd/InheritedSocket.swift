import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// A listening stream socket this process inherited from systemd (socket activation,
/// `tock-api.socket`), with the address it is bound to.
public struct InheritedSocket: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4, ipv6, unix
    }

    /// The file descriptor (3, 4, … as systemd passes them).
    public let descriptor: Int32
    public let family: Family
    /// The IP address as text (`127.0.0.1`, `::`), or the unix socket's path (`@name` for
    /// an abstract one).
    public let host: String
    /// The TCP port; 0 for a unix socket.
    public let port: Int
    /// Only processes on this host can connect: a loopback address (127.0.0.0/8, ::1,
    /// ::ffff:127.0.0.0/104) or a unix socket. `0.0.0.0` and `::` are not local.
    public let isLocal: Bool

    /// Describes `descriptor`, which must be a listening stream socket (TCP or unix).
    /// - Throws: ``InheritedSocketError`` naming the descriptor and what it is instead.
    public init(descriptor: Int32) throws(InheritedSocketError) {
        self.descriptor = descriptor
        guard sd_is_socket(descriptor, AF_UNSPEC, 0, -1) > 0 else {
            throw InheritedSocketError(descriptor: descriptor, problem: "is not a socket")
        }
        guard sd_is_socket(descriptor, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), -1) > 0 else {
            throw InheritedSocketError(
                descriptor: descriptor, problem: "is not a stream socket (the socket unit needs ListenStream=, not ListenDatagram= or ListenSequentialPacket=)")
        }
        guard sd_is_socket(descriptor, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), 1) > 0 else {
            throw InheritedSocketError(descriptor: descriptor, problem: "is not listening (Accept=yes passes connections; the socket unit needs Accept=no)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            throw InheritedSocketError(descriptor: descriptor, problem: "has no address: getsockname: \(String(cString: strerror(errno)))")
        }
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
            family = .ipv4
            port = Int(UInt16(bigEndian: address.sin_port))
            host = Self.text(AF_INET, address.sin_addr)
            isLocal = withUnsafeBytes(of: address.sin_addr) { $0[0] == 127 }
        case AF_INET6:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
            family = .ipv6
            port = Int(UInt16(bigEndian: address.sin6_port))
            host = Self.text(AF_INET6, address.sin6_addr)
            isLocal = withUnsafeBytes(of: address.sin6_addr) { bytes in
                let loopback = bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
                let mappedLoopback = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
                return loopback || mappedLoopback
            }
        case AF_UNIX:
            family = .unix
            port = 0
            isLocal = true
            let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
            host = withUnsafeBytes(of: storage) { raw in
                let path = raw[pathOffset..<max(pathOffset, min(Int(length), raw.count))]
                guard let first = path.first else { return "" }
                if first == 0 { return "@" + String(decoding: path.dropFirst(), as: UTF8.self) }
                return String(decoding: path.prefix { $0 != 0 }, as: UTF8.self)
            }
        default:
            throw InheritedSocketError(descriptor: descriptor, problem: "is neither an IP nor a unix socket (address family \(storage.ss_family))")
        }
    }

    /// `127.0.0.1:8080`, `[::1]:8080` or `unix:/run/tock/api.sock`.
    public var description: String {
        switch family {
        case .ipv4: "\(host):\(port)"
        case .ipv6: "[\(host)]:\(port)"
        case .unix: "unix:\(host)"
        }
    }

    private static func text(_ family: Int32, _ address: in_addr) -> String {
        withUnsafeBytes(of: address) { text(family, $0) }
    }

    private static func text(_ family: Int32, _ address: in6_addr) -> String {
        withUnsafeBytes(of: address) { text(family, $0) }
    }

    private static func text(_ family: Int32, _ address: UnsafeRawBufferPointer) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, address.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An inherited file descriptor Tock cannot serve on: which one and why.
public struct InheritedSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    public var descriptor: Int32
    public var problem: String

    public init(descriptor: Int32, problem: String) {
        self.descriptor = descriptor
        self.problem = problem
    }

    public var description: String { "file descriptor \(descriptor) passed by systemd \(problem)" }
}

/// The sockets systemd passed to this process: `LISTEN_FDS` descriptors from 3 on, meant
/// for this process when `LISTEN_PID` is its pid (sd_listen_fds(3)).
public enum ListenFileDescriptors {
    /// The passed sockets, each checked to be a listening stream socket; empty when none
    /// were passed. Unsets `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES`, so that no
    /// process started later takes them for its own (libsystemd also marks the
    /// descriptors close-on-exec).
    /// - Throws: ``SystemdError`` when the variables are malformed, ``InheritedSocketError``
    ///   for a descriptor that is not a listening stream socket.
    public static func take() throws -> [InheritedSocket] {
        let count = sd_listen_fds(1)
        guard count >= 0 else { throw SystemdError(operation: "sd_listen_fds", code: count) }
        return try (0..<count).map { try InheritedSocket(descriptor: SD_LISTEN_FDS_START + $0) }
    }
}
