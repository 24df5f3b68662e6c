import Foundation
import Testing

/// The operator's commands as documented, through the real binary on one SQLite file:
/// delayed enqueues, stop / delete / requeue of one job, the text table, events
/// disable / enable / run, scheduler pause / resume, and a batch followed to its end.
@Suite(.serialized) final class OperatorCommandTests: ScratchDatabase {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
        try FileManager.default.copyItem(
            at: TockProcess.packageRoot.appendingPathComponent("schedules"), to: directory.appendingPathComponent("schedules"))
        try FileManager.default.copyItem(
            at: TockProcess.packageRoot.appendingPathComponent("examples"), to: directory.appendingPathComponent("examples"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }


    private func json(_ arguments: [String]) throws -> Any {
        let output = try tock(arguments + ["--json"])
        #expect(output.status == 0, "\(arguments): \(output.stderr)")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }

    private func job(_ id: String) throws -> [String: Any] {
        try #require(try json(["jobs", "show", id]) as? [String: Any])
    }

    private func waitFor(_ id: String, status: String) async throws {
        let deadline = Date().addingTimeInterval(20)
        while try job(id)["status"] as? String != status, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try job(id)["status"] as? String == status, "\(id)")
    }

    @Test func delayedJobsDeleteAndTheTable() throws {
        #expect(try tock(["enqueue", "tock.noop", "--in", "1h", "--id", "later"]).stdout == "later\n")
        #expect(try tock(["enqueue", "tock.noop", "--at", "2030-01-01T06:00", "--id", "new-year"]).status == 0)
        #expect(try job("later")["status"] as? String == "scheduled")
        #expect(try job("new-year")["scheduled_for"] as? String == "2030-01-01T06:00:00.000000Z")
        let table = try tock(["jobs"]).stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(table.first == ["ID", "NAME", "QUEUE", "STATUS", "CREATED", "TOOK", "ERROR"])
        #expect(Set(table.dropFirst().map { $0.first.map(String.init) ?? "" }) == ["later", "new-year"])
        #expect(try tock(["jobs", "delete", "later"]).stdout == "later deleted\n")
        let gone = try tock(["jobs", "show", "later"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("no job with id 'later'"))
    }

    @Test func stopARunningJobAndRequeueAFailedOne() async throws {
        _ = try tock(["enqueue", "tock.sleep", "--args", "[30]", "--id", "long"])
        _ = try tock(["enqueue", "app.not_registered", "--id", "orphan"])
        let worker = try TockProcess.start(
            ["worker", "--backend", "sqlite:\(database)"], in: directory, log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        try await waitFor("long", status: "started")
        #expect(try tock(["jobs", "stop", "long"]).status == 0)
        try await waitFor("long", status: "stopped")
        try await waitFor("orphan", status: "failed")
        kill(worker.processIdentifier, SIGTERM)
        await TockProcess.exit(worker)
        #expect(try tock(["jobs", "requeue", "orphan"]).status == 0)
        #expect(try job("orphan")["status"] as? String == "queued")
    }

    @Test func eventsSwitchesRunAndSchedulerPause() throws {
        let event = "cabs_app.tasks.heartbeat@all"
        #expect(try tock(["events", "disable", event]).stdout == "\(event) disabled\n")
        func listed() throws -> [String: Any] {
            let events = try #require(try json(["events"]) as? [[String: Any]])
            return try #require(events.first { $0["event"] as? String == event })
        }
        #expect(try listed()["enabled"] as? Bool == false)
        #expect(try listed()["enabled_override"] as? Bool == false)
        #expect(try tock(["events", "enable", event]).stdout == "\(event) enabled\n")
        #expect(try listed()["enabled"] as? Bool == true)
        let id = try tock(["events", "run", "send-invoices"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try job(id)["origin"] as? String == "manual:send-invoices")
        #expect(try job(id)["name"] as? String == "cabs_app.tasks.send_invoices")
        let unknown = try tock(["events", "run", "no-such-event"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no event named 'no-such-event'"))

        #expect(try tock(["scheduler", "pause"]).status == 0)
        #expect((try json(["scheduler", "status"]) as? [String: Any])?["paused"] as? Bool == true)
        #expect(try tock(["scheduler", "resume"]).stdout == "resumed\n")
        #expect((try json(["scheduler", "status"]) as? [String: Any])?["paused"] as? Bool == false)
    }

    @Test func aBatchFollowedToItsEndRunsItsCompletionJob() async throws {
        let worker = try TockProcess.start(
            ["worker", "--backend", "sqlite:\(database)"], in: directory, log: directory.appendingPathComponent("worker.log"))
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let batch = try tock([
            "batch", "cabs_app.tasks.post_invoices", "--items", "examples/invoices.jsonl", "--chunk-size", "100", "--id", "nov",
            "--on-complete", "cabs_app.tasks.notify_done", "--wait",
        ])
        #expect(batch.status == 0, "\(batch.stderr)")
        let shown = try #require(try json(["batch", "show", "nov"]) as? [String: Any])
        #expect(shown["status"] as? String == "finished")
        #expect(shown["total"] as? Int == 3 && shown["finished"] as? Int == 3, "\(shown)")
        let completion = try job("nov-complete")
        #expect((completion["kwargs"] as? [String: Any])?["status"] as? String == "finished")
        kill(worker.processIdentifier, SIGTERM)
        await TockProcess.exit(worker)
    }
}
