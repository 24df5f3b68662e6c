import ArgumentParser
import Foundation
import Synchronization
import TockCore
import TockSQLite

/// `tock bench streams`: many SSE subscribers on one `tock serve` process during a job run.
struct StreamBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streams",
        abstract: "SSE subscribers on one tock serve during a job run: delivery lag, memory, idle CPU (SQLite)."
    )

    @Flag(name: .long, help: "Print {\"results\": [{name, value, unit}]}.")
    var json = false

    @Option(name: .long, help: "Concurrent /api/v1/stream subscribers.")
    var subscribers = 1_000

    @Option(name: .long, help: "Jobs in the run.")
    var jobs = 1_000

    @Option(name: .long, help: "Seconds to measure the server's CPU over with idle streams.")
    var idleSeconds = 10

    func run() async throws {
        try await QueueBenchmark.withScratchDirectory { directory, binary in
            let benchmark = StreamBenchmark(subscribers: subscribers, jobs: jobs, idleSeconds: idleSeconds, directory: directory, binary: binary)
            let progress: (String) -> Void = { step in if !json { FileHandle.standardError.write(Data("… \(step)\n".utf8)) } }
            try QueueBenchmark.Figure.print(try await benchmark.run(progress: progress), json: json)
        }
    }
}

/// Opens `subscribers` raw TCP connections on `GET /api/v1/stream` of a `tock serve` child
/// process, measures its resident memory and idle CPU with them open, then runs `jobs`
/// jobs (two worker processes) and measures each event's delivery lag to each subscriber:
/// from the event's `at` (its commit) to its frame being read here.
struct StreamBenchmark {
    var subscribers: Int
    var jobs: Int
    var idleSeconds: Int
    var directory: URL
    var binary: String

    func run(progress: (String) -> Void) async throws -> [QueueBenchmark.Figure] {
        let database = directory.appendingPathComponent("stream.db").path
        let url = "sqlite:\(database)"
        let backend = try SQLiteBackend(path: database)
        let port = try Self.freePort()
        let server = try spawn(["serve", "--listen", "127.0.0.1:\(port)", "--backend", url])
        let workers = try (1...2).map { try spawn(["worker", "--backend", url, "--name", "bench-\($0)", "--queue", "default"]) }
        defer {
            for process in [server] + workers where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        }
        progress("waiting for tock serve on port \(port)")
        var ready = false
        for _ in 0..<200 where !ready {
            if let probe = try? Self.connect(port: port) {
                close(probe)
                ready = true
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard ready else { throw ValidationError("tock serve did not listen on 127.0.0.1:\(port)") }

        progress("opening \(subscribers) streams")
        let readers = try SubscriberSet(count: subscribers, port: port)
        let thread = Thread { readers.readUntilStopped() }
        thread.start()
        defer { readers.stop() }
        let deadline = ContinuousClock.now + .seconds(60)
        while readers.answered < subscribers, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        guard readers.answered == subscribers else {
            throw ValidationError("only \(readers.answered) of \(subscribers) streams were answered within 60 s")
        }
        try await Task.sleep(for: .seconds(2))
        let resident = Self.residentMegabytes(pid: server.processIdentifier)
        progress("measuring the server's CPU over \(idleSeconds) s with \(subscribers) idle streams")
        let before = try QueueBenchmark.cpuSeconds(pid: server.processIdentifier)
        try await Task.sleep(for: .seconds(idleSeconds))
        let idle = (try QueueBenchmark.cpuSeconds(pid: server.processIdentifier) - before) / Double(idleSeconds) * 100

        progress("running \(jobs) jobs")
        let start = try await backend.newestEventCursor()
        let client = JobClient(backend: backend, configuration: Configuration())
        // A steady run rather than one burst: ten jobs every 10 ms.
        for offset in stride(from: 0, to: jobs, by: 10) {
            _ = try await client.enqueue((offset..<min(jobs, offset + 10)).map { _ in EnqueueRequest(name: "tock.noop", origin: "bench") })
            try await Task.sleep(for: .milliseconds(10))
        }
        var finished = 0
        while finished < jobs, ContinuousClock.now < deadline + .seconds(600) {
            try await Task.sleep(for: .milliseconds(200))
            finished = try await backend.queueCounts()["default"]?[.finished] ?? 0
        }
        let expected = Int(try await backend.newestEventCursor() - start)
        let waitUntil = ContinuousClock.now + .seconds(120)
        while readers.leastReceived < expected, ContinuousClock.now < waitUntil { try await Task.sleep(for: .milliseconds(100)) }
        let everyone = readers.leastReceived >= expected
        readers.stop()
        let lags = readers.lags.sorted()
        func percentile(_ p: Int) -> Double { lags.isEmpty ? .nan : lags[min(lags.count - 1, lags.count * p / 100)] * 1000 }
        return [
            .init(name: "server RSS with \(subscribers) open streams", value: resident, unit: "MB"),
            .init(name: "server CPU with \(subscribers) idle streams, over \(idleSeconds) s", value: idle, unit: "%"),
            .init(name: "subscribers that got all \(expected) events of \(jobs) jobs", value: Double(readers.completeCount(expected)), unit: "of \(subscribers)"),
            .init(name: "delivery lag p50 (committed → received)", value: percentile(50), unit: "ms"),
            .init(name: "delivery lag p99", value: percentile(99), unit: "ms"),
            .init(name: "delivery lag max", value: (lags.last ?? .nan) * 1000, unit: "ms"),
        ] + (everyone ? [] : [.init(name: "events missing at the slowest subscriber", value: Double(expected - readers.leastReceived), unit: "events")])
    }

    private func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func residentMegabytes(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return .nan }
        return kilobytes / 1024
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ValidationError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A connected TCP socket to 127.0.0.1:`port`.
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(socket)
            throw ValidationError("cannot connect to 127.0.0.1:\(port)")
        }
        return socket
    }
}

/// The subscribers' sockets, read by one thread with poll(2).
final class SubscriberSet: Sendable {
    struct State {
        var answered = 0
        var received: [Int]
        var lags: [Double] = []
        var stopped = false
    }

    let sockets: [Int32]
    private let state: Mutex<State>

    init(count: Int, port: Int) throws {
        var sockets: [Int32] = []
        let request = "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        for _ in 0..<count {
            let socket = try StreamBenchmark.connect(port: port)
            _ = request.withCString { send(socket, $0, strlen($0), 0) }
            sockets.append(socket)
        }
        self.sockets = sockets
        state = Mutex(State(received: Array(repeating: 0, count: count)))
    }

    var answered: Int { state.withLock { $0.answered } }
    var leastReceived: Int { state.withLock { $0.received.min() ?? 0 } }
    var lags: [Double] { state.withLock { $0.lags } }
    func completeCount(_ expected: Int) -> Int { state.withLock { $0.received.filter { $0 >= expected }.count } }

    func stop() {
        let wasStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        if !wasStopped { Thread.sleep(forTimeInterval: 0.2) }
    }

    /// Reads every socket until ``stop()``, counting frames and their lag; then closes them.
    func readUntilStopped() {
        var descriptors = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var pending = Array(repeating: [UInt8](), count: sockets.count)
        var answeredYet = Array(repeating: false, count: sockets.count)
        var commits: [Int64: Double] = [:]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        while !state.withLock({ $0.stopped }) {
            guard poll(&descriptors, nfds_t(descriptors.count), 100) > 0 else { continue }
            var newlyAnswered = 0
            var frames: [(index: Int, count: Int)] = []
            var lags: [Double] = []
            for index in descriptors.indices where descriptors[index].revents != 0 {
                let read = recv(descriptors[index].fd, &buffer, buffer.count, 0)
                let now = Date().timeIntervalSince1970
                if read <= 0 {
                    descriptors[index].fd = -1
                    continue
                }
                pending[index] += buffer[0..<read]
                var count = 0
                var consumed = 0
                if !answeredYet[index] {
                    guard let end = Self.headerEnd(in: pending[index]) else { continue }
                    pending[index].removeFirst(end)
                    answeredYet[index] = true
                    newlyAnswered += 1
                }
                // Frames end with a blank line (chunk-size lines of the chunked encoding in
                // between); one pass over what was read, keeping the incomplete rest.
                pending[index].withUnsafeBufferPointer { bytes in
                    var start = 0
                    var position = 0
                    while position + 1 < bytes.count {
                        guard bytes[position] == 10, bytes[position + 1] == 10 else {
                            position += 1
                            continue
                        }
                        if let cursor = Self.cursor(in: bytes, from: start, to: position) {
                            count += 1
                            if commits[cursor] == nil {
                                let frame = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                                if let at = Self.value(after: "\"at\":\"", in: frame, until: "\""), let date = parser.date(from: at) {
                                    commits[cursor] = date.timeIntervalSince1970
                                }
                            }
                            if let committed = commits[cursor] { lags.append(now - committed) }
                        }
                        position += 2
                        start = position
                    }
                    consumed = start
                }
                pending[index].removeFirst(consumed)
                if count > 0 { frames.append((index, count)) }
            }
            state.withLock { state in
                state.answered += newlyAnswered
                for (index, count) in frames { state.received[index] += count }
                state.lags += lags
            }
        }
        for socket in sockets { close(socket) }
    }

    /// The number after `id: ` in a frame's bytes (after any chunk-size line).
    static func cursor(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int64? {
        var index = start
        while index + 3 < end {
            if bytes[index] == UInt8(ascii: "i"), bytes[index + 1] == UInt8(ascii: "d"), bytes[index + 2] == UInt8(ascii: ":"),
                index == start || bytes[index - 1] == 10
            {
                var value: Int64 = 0
                var digit = index + 4
                while digit < end, bytes[digit] >= 48, bytes[digit] <= 57 {
                    value = value * 10 + Int64(bytes[digit] - 48)
                    digit += 1
                }
                return digit > index + 4 ? value : nil
            }
            index += 1
        }
        return nil
    }

    /// Where the HTTP response header (ending with CRLF CRLF) ends.
    static func headerEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0..<(bytes.count - 3) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    static func value(after marker: String, in text: String, until terminator: Character) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        return String(rest.prefix { $0 != terminator })
    }
}
