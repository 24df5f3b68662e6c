import Foundation
import Testing
import TockTestSupport

/// `tock serve` as systemd runs it (units/tock-api.service, units/tock-api.socket): started
/// by `systemd-socket-activate` — which, like systemd for a socket unit, binds the address,
/// waits for the first connection and then execs the service with the socket
/// (`LISTEN_FDS=1`, `LISTEN_PID`) — with a real `NOTIFY_SOCKET`; or with `--listen`.
/// Real processes, real HTTP on 127.0.0.1.
@Suite(.serialized, .enabled(if: SocketActivate.path != nil, """
    SKIPPED LOUDLY: systemd-socket-activate is not installed, so socket activation of tock serve \
    is NOT tested. Install it: apt-get install systemd.
    """))
final class APISystemdTests {
    let directory: URL
    let database: String
    let port: Int
    let log: URL
    let notify: NotifySocket
    var server: SpawnedProcess?

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
        port = try RedisServer.freePort()
        log = directory.appendingPathComponent("serve.log")
        notify = try NotifySocket(directory: directory)
    }

    deinit {
        server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var serverLog: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// `tock serve` on a socket systemd-socket-activate binds to `listen` (default
    /// 127.0.0.1:PORT); it runs once something connects.
    func activate(
        _ extra: [String] = [], listen: String? = nil, datagram: Bool = false, environment: [String: String] = [:]
    ) throws -> SpawnedProcess {
        let settings = ["NOTIFY_SOCKET": notify.path].merging(environment) { $1 }
        let process = try SpawnedProcess(
            SocketActivate.path!,
            (datagram ? ["--datagram"] : []) + ["--listen", listen ?? "127.0.0.1:\(port)"]
                + settings.sorted { $0.key < $1.key }.flatMap { ["--setenv", "\($0.key)=\($0.value)"] }
                + [TockProcess.binary.path, "serve", "--backend", "sqlite:\(database)"] + extra,
            log: log)
        server = process
        // Bound once it says so: a connection before would be refused.
        for _ in 0..<200 where !serverLog.contains("Listening on ") {
            Thread.sleep(forTimeInterval: 0.025)
        }
        return process
    }

    /// `tock serve --listen 127.0.0.1:PORT` with the same `NOTIFY_SOCKET`.
    func serve() throws -> SpawnedProcess {
        let process = try SpawnedProcess(
            TockProcess.binary.path, ["serve", "--listen", "127.0.0.1:\(port)", "--backend", "sqlite:\(database)"],
            environment: ["NOTIFY_SOCKET": notify.path], log: log)
        server = process
        return process
    }

    /// Activated or not, running and READY=1.
    func startReady(activated: Bool) throws -> SpawnedProcess {
        let process = try activated ? activate() : serve()
        if activated { _ = try LoopbackConnection(port: port) }  // the first connection starts it
        _ = try #require(notify.wait(for: "READY=1", timeout: 20), "no READY=1: \(serverLog)")
        return process
    }

    /// curl against the server; `-s`, with a time limit.
    func curl(_ arguments: [String]) throws -> ProcessOutput {
        try ProcessOutput.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "20"] + arguments)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func enqueue(_ body: String) throws -> String {
        let answer = try curl(["-X", "POST", "-H", "Content-Type: application/json", "-d", body, url("/api/v1/jobs")])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [String: Any], "\(answer)")
        return try #require(job["id"] as? String)
    }

    @Test func theFirstConnectionStartsTheAPIOnTheSocketSystemdPassed() async throws {
        let server = try activate(environment: ["WATCHDOG_USEC": "1000000"])
        // Sent before tock serve runs: it waits in the socket's backlog, and is answered.
        let first = try curl(["-i", url("/healthz")])
        #expect(first.status == 0, "\(first) \(serverLog)")
        #expect(first.stdout.hasPrefix("HTTP/1.1 200"), "\(first.stdout)")
        let headers = first.stdout.lowercased()
        #expect(headers.contains("\r\nserver: tock\r\n") && headers.contains("\r\ndate: "), "\(first.stdout)")
        let ready = try #require(notify.wait(for: "READY=1", timeout: 20), "no READY=1: \(serverLog)")
        #expect(ready.last?.contains("STATUS=serving") == true, "\(ready)")
        #expect(serverLog.contains("listening on 127.0.0.1:\(port) (from systemd)"), "\(serverLog)")
        // The whole API is there: an enqueue is stored and read back.
        let id = try enqueue(#"{"name": "tock.noop", "id": "activated"}"#)
        #expect(id == "activated")
        let shown = try curl(["-o", "/dev/null", "-w", "%{http_code}", url("/api/v1/jobs/activated")])
        #expect(shown.stdout == "200")
        // WATCHDOG=1 every half WATCHDOG_USEC while the backend answers.
        var pings = 0
        let until = Date().addingTimeInterval(3)
        while Date() < until, let message = notify.receive(timeout: until.timeIntervalSinceNow) {
            if message.contains("WATCHDOG=1") { pings += 1 }
        }
        #expect(pings >= 3)
        server.signal(SIGTERM)
        #expect(notify.wait(for: "STOPPING=1", timeout: 10) != nil, "no STOPPING=1: \(serverLog)")
        #expect(await server.exit(within: .seconds(10)), "still running 10 s after SIGTERM: \(serverLog)")
        #expect(server.exitStatus == 0, "\(serverLog)")
    }

    /// Event streams never end by themselves; on SIGTERM they end cleanly (the chunked
    /// response is finished, so curl exits 0 — a client reconnects with Last-Event-ID and
    /// misses nothing), and the process exits well within TimeoutStopSec=30s.
    @Test(arguments: [true, false])
    func openStreamsEndPromptlyOnSIGTERM(activated: Bool) async throws {
        let server = try startReady(activated: activated)
        let id = try enqueue(#"{"name": "tock.noop"}"#)
        var streams: [(Process, URL)] = []
        for path in ["/api/v1/jobs/\(id)/stream", "/api/v1/stream"] {
            let output = directory.appendingPathComponent("stream-\(streams.count).txt")
            let curl = try TockProcess.start(
                ["-s", "-N", "--max-time", "60", url(path)], executable: URL(fileURLWithPath: "/usr/bin/curl"), log: output)
            streams.append((curl, output))
        }
        defer { for (curl, _) in streams where curl.isRunning { kill(curl.processIdentifier, SIGKILL) } }
        let opened = streams[0].1
        for _ in 0..<200 where !((try? String(contentsOf: opened, encoding: .utf8))?.contains("event: job") ?? false) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try String(contentsOf: opened, encoding: .utf8).contains("event: job"), "the job's stream did not start")
        try await Task.sleep(for: .milliseconds(300))  // the global stream is subscribed too
        let stopped = ContinuousClock.now
        server.signal(SIGTERM)
        #expect(await server.exit(within: .seconds(10)), "still running 10 s after SIGTERM with streams open: \(serverLog)")
        #expect(ContinuousClock.now - stopped < .seconds(5))
        #expect(server.exitStatus == 0, "\(serverLog)")
        for (curl, _) in streams {
            #expect(await TockProcess.exit(curl, within: .seconds(5)))
            #expect(curl.terminationStatus == 0, "the stream was cut, not ended (curl exit \(curl.terminationStatus))")
        }
    }

    /// A request whose body is still arriving when SIGTERM comes is answered — and stored —
    /// before the process exits.
    @Test(arguments: [true, false])
    func aRequestInFlightAtSIGTERMIsAnswered(activated: Bool) async throws {
        let server = try startReady(activated: activated)
        let connection = try LoopbackConnection(port: port)
        let body = #"{"name": "tock.noop", "id": "in-flight"}"#
        try connection.send(
            "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
                + body.prefix(10))
        try await Task.sleep(for: .milliseconds(500))  // the head is read, the handler waits for the body
        server.signal(SIGTERM)
        #expect(notify.wait(for: "STOPPING=1", timeout: 10) != nil)
        try await Task.sleep(for: .milliseconds(300))
        try connection.send(String(body.dropFirst(10)))
        let answer = connection.receiveAll(timeout: 10)
        #expect(answer.hasPrefix("HTTP/1.1 202"), "\(answer) \(serverLog)")
        #expect(await server.exit(within: .seconds(10)), "\(serverLog)")
        #expect(server.exitStatus == 0, "\(serverLog)")
        let shown = try TockProcess.run(["jobs", "show", "in-flight", "--json", "--backend", "sqlite:\(database)"], in: directory)
        #expect(shown.status == 0, "the answered enqueue was not stored: \(shown.stderr)")
    }

    @Test func aUnixSocketIsServedToo() async throws {
        let path = directory.appendingPathComponent("api.sock").path
        let server = try activate(listen: path)
        let answer = try curl(["--unix-socket", path, "-o", "/dev/null", "-w", "%{http_code}", "http://localhost/healthz"])
        #expect(answer.stdout == "200", "\(answer) \(serverLog)")
        #expect(notify.wait(for: "READY=1", timeout: 20) != nil)
        #expect(serverLog.contains("listening on unix:\(path) (from systemd)"), "\(serverLog)")
        server.signal(SIGTERM)
        #expect(await server.exit(within: .seconds(10)))
        #expect(server.exitStatus == 0)
    }

    /// `ListenDatagram=` (here `--datagram`) is a mistake in the socket unit: refused with
    /// exit 78, which RestartPreventExitStatus= keeps from restarting in a loop.
    @Test func aDatagramSocketIsRefusedWithExit78() async throws {
        let server = try activate(datagram: true)
        try LoopbackConnection.sendDatagram("hello", port: port)  // starts it
        #expect(await server.exit(within: .seconds(20)), "\(serverLog)")
        #expect(server.exitStatus == 78, "\(serverLog)")
        #expect(serverLog.contains("tock serve: file descriptor 3 passed by systemd is not a stream socket"), "\(serverLog)")
        #expect(notify.receive(timeout: 0.2)?.contains("READY=1") != true)
    }

    @Test func systemdSocketsAndListenTogetherAreRefused() async throws {
        let server = try activate(["--listen", "127.0.0.1:\(try RedisServer.freePort())"])
        _ = try LoopbackConnection(port: port)
        #expect(await server.exit(within: .seconds(20)), "\(serverLog)")
        #expect(server.exitStatus == 78, "\(serverLog)")
        #expect(serverLog.contains("systemd passed 1 listening socket(s) (127.0.0.1:\(port)) and --listen was given too"), "\(serverLog)")
    }
}

/// A child process started with posix_spawn, not Foundation's `Process`: Foundation
/// watches a child through a socket the child inherits, takes that socket's closing for
/// the child's exit and then blocks in waitpid — and systemd-socket-activate closes every
/// descriptor but the listening ones before it execs tock serve, which would hang every
/// later `Process` of the test run.
final class SpawnedProcess {
    let pid: pid_t
    private(set) var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], log: URL) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let settings = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = settings.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        pid = child
    }

    deinit { stop() }

    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        // Exited: its code; killed by a signal: 128 + the signal, as a shell says.
        exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return false
    }

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `limit` for the exit; false (and SIGKILL) if it has not.
    func exit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard isRunning else { return true }
        stop()
        return false
    }

    func stop() {
        guard isRunning else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = 128 + SIGKILL
    }
}

/// `systemd-socket-activate` (Debian package `systemd`), if installed.
enum SocketActivate {
    static let path = ["/usr/bin/systemd-socket-activate", "/lib/systemd/systemd-socket-activate"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A raw TCP connection to 127.0.0.1, for requests sent in pieces.
final class LoopbackConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = Self.loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Everything received until the peer closes, or until `timeout` seconds pass.
    func receiveAll(timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { break }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer.prefix(count)
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// One UDP datagram to 127.0.0.1:`port`.
    static func sendDatagram(_ text: String, port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port)
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard sent == bytes.count else { throw POSIXError(.EIO) }
    }
}
