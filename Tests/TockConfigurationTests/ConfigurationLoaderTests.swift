import Foundation
import Testing
import TockConfiguration
import TockCore

@Suite struct ConfigurationLoaderTests {
    private func file(_ text: String, name: String = "tock.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func defaultsNeedNoFile() throws {
        let configuration = try ConfigurationLoader(path: nil, environment: [:]).load()
        #expect(configuration.backend == "sqlite:./tock.db")
        #expect(configuration.queues.map(\.name) == ["short", "default", "long"])
        #expect(configuration.queues.map(\.timeout) == [300, 300, 1500])
        #expect(configuration.resultTTL == 600)
        #expect(configuration.failureTTL == 604_800)
        #expect(configuration.pools.map(\.queues) == [["short", "default", "long"]])
    }

    /// `sqlite_busy_timeout` (default 5 s) from the file, and `TOCK_SQLITE_BUSY_TIMEOUT` over it.
    @Test func sqliteBusyTimeoutFromTheFileAndTheEnvironment() throws {
        #expect(try ConfigurationLoader(path: nil, environment: [:]).load().sqliteBusyTimeout == 5)
        let path = try file("sqlite_busy_timeout: 45s\n")
        #expect(try ConfigurationLoader(path: path, environment: [:]).load().sqliteBusyTimeout == 45)
        let overridden = try ConfigurationLoader(path: path, environment: ["TOCK_SQLITE_BUSY_TIMEOUT": "2m"]).load()
        #expect(overridden.sqliteBusyTimeout == 120)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader(path: try file("sqlite_busy_timeout: soon\n"), environment: [:]).load() }
    }

    @Test func yamlFileSetsQueuesPoolsAndTTLs() throws {
        let path = try file("""
            backend: sqlite:/var/lib/tock/tock.db
            timezone: Europe/Berlin
            result_ttl: 1h
            queues:
              long: {timeout: 1h}
              reports: {timeout: 2h, max_queued: 50}
            pools:
              fast: {queues: [short, default], concurrency: 4}
              slow: {queues: [long, reports]}
            """)
        let configuration = try ConfigurationLoader(path: path, environment: [:]).load()
        #expect(configuration.backend == "sqlite:/var/lib/tock/tock.db")
        #expect(configuration.timeZone == "Europe/Berlin")
        #expect(configuration.resultTTL == 3600)
        #expect(try configuration.queue("long").timeout == 3600)
        #expect(try configuration.queue("reports") == Configuration.Queue(name: "reports", timeout: 7200, maxQueued: 50))
        #expect(configuration.maxQueued == ["reports": 50])
        // Declared pools join the built-in default pool; they do not replace it.
        #expect(configuration.pools == [
            .init(name: "default", queues: ["short", "default", "long"]),
            .init(name: "fast", queues: ["short", "default"], concurrency: 4), .init(name: "slow", queues: ["long", "reports"]),
        ])
    }

    @Test func aPoolNamedDefaultRedefinesTheBuiltInOne() throws {
        let path = try file("""
            pools:
              default: {queues: [short, default, long], concurrency: 2}
              batch: {queues: [long]}
            """)
        let configuration = try ConfigurationLoader(path: path, environment: [:]).load()
        #expect(configuration.pools == [
            .init(name: "batch", queues: ["long"]), .init(name: "default", queues: ["short", "default", "long"], concurrency: 2),
        ])
    }

    @Test func jsonIsAcceptedAndEnvironmentWins() throws {
        let path = try file(#"{"backend": "sqlite:a.db", "failure_ttl": "2d"}"#, name: "tock.json")
        let configuration = try ConfigurationLoader(path: path, environment: ["TOCK_BACKEND": "memory:", "TOCK_RESULT_TTL": "30s"]).load()
        #expect(configuration.backend == "memory:")
        #expect(configuration.failureTTL == 172_800)
        #expect(configuration.resultTTL == 30)
    }

    @Test func tockConfigVariableNamesTheFile() throws {
        let path = try file("backend: \"memory:\"\n")
        #expect(try ConfigurationLoader(path: nil, environment: ["TOCK_CONFIG": path]).load().backend == "memory:")
    }

    @Test(arguments: [
        ("queues:\n  short: {timout: 5m}\n", "2:11: unknown key 'timout' in queue 'short'; allowed: timeout, max_queued"),
        ("result_ttl: soon\n", "1:13: bad duration for 'result_ttl'"),
        ("pools:\n  p: {queues: [nope]}\n", "pool 'p' takes unknown queue 'nope'; configured queues: short, default, long"),
        ("bakend: \"memory:\"\n", "1:1: unknown key 'bakend' in the configuration"),
        ("queues:\n  short: {max_queued: 0}\n", "'max_queued' must be a whole number of at least 1"),
    ])
    func errorsSayWhereAndWhat(text: String, message: String) throws {
        let path = try file(text)
        #expect {
            _ = try ConfigurationLoader(path: path, environment: [:]).load()
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func badEnvironmentAndMissingFile() throws {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader(path: nil, environment: ["TOCK_FAILURE_TTL": "forever"]).load()
        }
        #expect {
            _ = try ConfigurationLoader(path: "/nonexistent/tock.yaml", environment: [:]).load()
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/tock.yaml: cannot read the configuration file")
        }
    }
}

/// `tock.yaml` has the same alias budget as schedule files.
@Suite(.timeLimit(.minutes(1))) struct ConfigurationExpansionTests {
    @Test func nestedAliasesAreAnErrorWithAPlace() throws {
        var lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
        for index in 1..<10 {
            lines.append("l\(index): &l\(index) [" + Array(repeating: "*" + (index == 1 ? "a" : "l\(index - 1)"), count: 9).joined(separator: ",") + "]")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tock.yaml").path
        try (["schedules:"] + lines.map { "  " + $0 }).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        #expect {
            try ConfigurationLoader(path: path, environment: [:]).load()
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.source == path && error?.line == 7 && error?.column == 12 && error?.message.contains("YAML aliases expand this file past the limit") == true
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}
