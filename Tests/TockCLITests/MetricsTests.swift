import Foundation
import Testing
import TockTestSupport

/// `/metrics` read by Prometheus' own text parser (prometheus-client), against what the
/// CLI says at the same moment, with real worker processes.
@Suite(.serialized, .enabled(if: APITools.isAvailable)) struct MetricsTests {
    /// Samples of `/metrics` as prometheus-client parses them: name, labels, value.
    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    static let parser = """
        import json, sys, urllib.request
        from prometheus_client.parser import text_string_to_metric_families
        text = urllib.request.urlopen(sys.argv[1]).read().decode()
        samples = [{"name": s.name, "labels": s.labels, "value": s.value}
                   for family in text_string_to_metric_families(text) for s in family.samples]
        print(json.dumps(samples))
        """

    func scrape(_ server: APIServer) throws -> [Sample] {
        let output = try TockProcess.run(
            ["-c", Self.parser, "http://127.0.0.1:\(server.port)/metrics"], executable: try APITools.venv.python())
        #expect(output.status == 0, "prometheus-client could not parse /metrics: \(output.stderr)")
        return try JSONDecoder().decode([Sample].self, from: Data(output.stdout.utf8))
    }

    func value(_ samples: [Sample], _ name: String, _ labels: [String: String]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }

    @Test func queueCountsEqualTheCLIsAndLastSuccessMovesWhenAJobFinishes() async throws {
        let server = try APIServer()
        let schedules = server.directory.appendingPathComponent("schedules")
        try FileManager.default.createDirectory(at: schedules, withIntermediateDirectories: true)
        try "events:\n  tick:\n    job: tock.noop\n    schedule: \"0 0 1 1 *\"\n".write(
            to: schedules.appendingPathComponent("app.yaml"), atomically: true, encoding: .utf8)
        try await server.start()
        for body in [
            #"{"name": "tock.noop"}"#, #"{"name": "tock.noop", "queue": "short"}"#, #"{"name": "tock.sleep", "args": ["x"]}"#,
            #"{"name": "tock.noop", "queue": "long", "in": "1h"}"#,
        ] {
            #expect(try await server.call("POST", "/api/v1/jobs", body).status == 202)
        }
        let before = Date().timeIntervalSince1970
        #expect(try await server.call("POST", "/api/v1/events/tick/run").status == 202)
        let worker = ["worker", "--burst", "--backend", "sqlite:\(server.database)"]
        #expect(try TockProcess.run(worker, in: server.directory).status == 0)

        let samples = try scrape(server)
        let cli = try TockProcess.run(["queues", "--json", "--backend", "sqlite:\(server.database)"], in: server.directory)
        let queues = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [[String: Any]])
        for queue in queues {
            let name = try #require(queue["name"] as? String)
            for status in ["queued", "scheduled", "started", "finished", "failed", "canceled", "stopped", "deferred"] {
                #expect(
                    value(samples, "tock_jobs", ["queue": name, "status": status]) == Double(queue[status] as? Int ?? -1),
                    "tock_jobs{queue=\(name),status=\(status)}")
            }
        }
        #expect(value(samples, "tock_jobs", ["queue": "default", "status": "finished"]) == 2)
        #expect(value(samples, "tock_jobs", ["queue": "default", "status": "failed"]) == 1)
        let first = try #require(value(samples, "tock_event_last_success_timestamp_seconds", ["event": "tick"]))
        #expect(first >= before - 1 && first <= Date().timeIntervalSince1970 + 1)

        try await Task.sleep(for: .milliseconds(50))
        #expect(try await server.call("POST", "/api/v1/events/tick/run").status == 202)
        #expect(try TockProcess.run(worker, in: server.directory).status == 0)
        let later = try #require(value(try scrape(server), "tock_event_last_success_timestamp_seconds", ["event": "tick"]))
        #expect(later > first, "the last success did not move: \(first) → \(later)")
    }

    /// Durations and pickup latencies, observed from the shared log by the API process,
    /// and Hummingbird's HTTP metrics.
    @Test func jobTimingsAndHTTPMetrics() async throws {
        let server = try APIServer()
        try await server.start()
        try await Task.sleep(for: .milliseconds(300))  // the event reader starts at the log's end
        for _ in 0..<3 { #expect(try await server.call("POST", "/api/v1/jobs", #"{"name": "tock.sleep", "args": [0.05]}"#).status == 202) }
        #expect(try TockProcess.run(["worker", "--burst", "--backend", "sqlite:\(server.database)"], in: server.directory).status == 0)
        var samples: [Sample] = []
        for _ in 0..<40 {
            samples = try scrape(server)
            if value(samples, "tock_job_duration_seconds_count", ["queue": "default"]) == 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(value(samples, "tock_job_duration_seconds_count", ["queue": "default"]) == 3)
        #expect(value(samples, "tock_job_pickup_latency_seconds_count", ["queue": "default"]) == 3)
        let durationSum = try #require(value(samples, "tock_job_duration_seconds_sum", ["queue": "default"]))
        #expect(durationSum >= 0.15 && durationSum < 5)
        #expect(samples.contains { $0.name.hasPrefix("hb_request") || $0.name.hasPrefix("hb_requests") }, "no HTTP metrics: \(Set(samples.map(\.name)))")
    }
}
