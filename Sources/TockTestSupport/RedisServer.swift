import Foundation
import TockRedis
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `redis-server` on 127.0.0.1 (no persistence unless `arguments` say
/// `--appendonly yes`), stopped by SIGTERM; for tests only.
public final class RedisServer: @unchecked Sendable {
    public static let executable: String? = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    public static var isInstalled: Bool {
        if executable == nil {
            FileHandle.standardError.write(Data("\n*** redis-server is NOT installed: TockRedis integration tests are SKIPPED (apt-get install redis-server) ***\n\n".utf8))
        }
        return executable != nil
    }

    public let port: Int
    /// The server's working directory (its append-only file, when enabled).
    public let directory: URL
    let extraArguments: [String]
    private var pid: pid_t?

    /// Starts a server on a free port (or `port`) and waits until it answers PING.
    public init(port: Int? = nil, password: String? = nil, arguments: [String] = []) async throws {
        self.port = try port ?? Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        extraArguments = (password.map { ["--requirepass", $0] } ?? []) + arguments
        try await start(password: password)
    }

    /// `redis://127.0.0.1:PORT/DB`, as the CLI takes it.
    public func urlString(database: Int = 0) -> String { "redis://127.0.0.1:\(port)/\(database)" }

    public func url(database: Int = 0, user: String? = nil, password: String? = nil) -> RedisURL {
        RedisURL(endpoint: .tcp(host: "127.0.0.1", port: port), username: user, password: password, database: database)
    }

    public func start(password: String? = nil) async throws {
        pid = try Self.spawn(Self.executable!, arguments: [
            "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no",
        ] + extraArguments)
        let probe = RedisConnection(url: url(password: password), options: .init(connectTimeout: .milliseconds(200), reconnectAttempts: 0))
        // Generous: many servers start at once when tests run in parallel on two cores.
        for _ in 0..<500 {
            if (try? await probe.send(["PING"])) == .status("PONG") { await probe.close(); return }
            try await Task.sleep(for: .milliseconds(30))
        }
        stop()
        throw RedisError.connectionFailed(endpoint: "127.0.0.1:\(port)", reason: "test redis-server did not answer PING within 15 s")
    }

    /// Sends SIGTERM and waits for the server to exit.
    public func stop() {
        guard let pid else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        self.pid = nil
    }

    /// posix_spawn with an empty signal mask: Foundation's Process would pass on the spawning
    /// dispatch thread's blocked signals, and redis-server would then never see SIGTERM.
    static func spawn(_ executable: String, arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw RedisError.protocolError("posix_spawn \(executable) failed: errno \(result)") }
        return pid
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port the kernel just handed out for 127.0.0.1.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisError.protocolError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bind(fd, sockaddrPointer, length) == 0 && getsockname(fd, sockaddrPointer, &length) == 0
            }
        }
        guard bound else { throw RedisError.protocolError("bind to 127.0.0.1:0 failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
