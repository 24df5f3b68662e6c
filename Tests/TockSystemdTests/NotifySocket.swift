import Foundation

/// A datagram socket bound in a fresh temporary directory, standing in for systemd's
/// `NOTIFY_SOCKET`: what the notifier sends arrives here.
final class NotifySocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: String
    let path: String
    private let descriptor: Int32

    init() throws {
        // /tmp rather than $TMPDIR: a socket path must fit in sockaddr_un's 108 bytes.
        directory = "/tmp/tock-notify-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        path = directory + "/notify"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            bytes.copyBytes(from: path.utf8)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind \(path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        Glibc.close(descriptor)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The next datagram, or `nil` when none arrives within `timeout`.
    func receive(timeout: Duration = .seconds(2)) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The first datagram that satisfies `predicate`, skipping others: other tests in this
    /// process may start children that inherit `NOTIFY_SOCKET` while it points here.
    func receive(timeout: Duration = .seconds(2), where predicate: (String) -> Bool) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: deadline - ContinuousClock.now) else { return nil }
            if predicate(message) { return message }
        }
        return nil
    }
}
