import Foundation
import Testing
import TockTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `tock serve` process on a free loopback port over a scratch SQLite file, and a real
/// HTTP client for it. Killed and its directory removed when dropped.
final class APIServer {
    let directory: URL
    let database: String
    let port: Int
    let log: URL
    /// `sqlite:` the scratch database unless set before ``start(_:)``.
    var backend: String
    private(set) var process: Process?

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
        port = try RedisServer.freePort()
        log = directory.appendingPathComponent("serve.log")
        backend = "sqlite:\(database)"
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `tock.yaml` in the scratch directory and returns its path.
    func configure(_ yaml: String) throws -> String {
        let file = directory.appendingPathComponent("tock.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Starts the server and waits until `/healthz` answers.
    func start(_ extra: [String] = []) async throws {
        process = try TockProcess.start(
            ["serve", "--listen", "127.0.0.1:\(port)", "--backend", backend] + extra, in: directory, log: log)
        for _ in 0..<200 {
            if let (status, _, _) = try? await call("GET", "/healthz"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("tock serve did not answer: \(serverLog)")
    }

    var serverLog: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends a request; the status, the headers (lowercased names) and the body parsed as
    /// JSON (`nil` when it is not).
    func call(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:]) async throws
        -> (status: Int, headers: [String: String], body: Any?)
    {
        let (status, fields, data) = try await raw(method, path, body.map { Data($0.utf8) }, headers: headers)
        return (status, fields, try? JSONSerialization.jsonObject(with: data))
    }

    func raw(_ method: String, _ path: String, _ body: Data? = nil, headers: [String: String] = [:]) async throws
        -> (status: Int, headers: [String: String], data: Data)
    {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, fields, data)
    }
}
