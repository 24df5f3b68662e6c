import Foundation
import Testing

/// Bad numbers and oversized input, as a user gives them to the real `tock`: refused at
/// enqueue with the field and the limit, or failing that one job — never a crashed worker.
@Suite(.serialized) struct BadInputTests: ScratchDatabase {
    let directory: URL
    let database: String

    init() throws {
        directory = try TockProcess.temporaryDirectory()
        database = directory.appendingPathComponent("tock.db").path
    }



    @Test func sleepOf1e300FailsThatJobAndTheWorkerRunsTheNext() async throws {
        let bad = try tock(["enqueue", "tock.sleep", "--args", "[1e300]", "--id", "huge"])
        #expect(bad.status == 0, "\(bad.stderr)")
        #expect(try tock(["enqueue", "tock.sleep", "--args", "[0.1]", "--id", "after"]).status == 0)
        let log = directory.appendingPathComponent("worker.log")
        let worker = try TockProcess.start(
            ["worker", "--name", "w", "--backend", "sqlite:\(database)"], in: directory, log: log)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(30)
        while try jobJSON("after")["status"] as? String != "finished", Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(try jobJSON("after")["status"] as? String == "finished", "worker log: \(logText)")
        let huge = try jobJSON("huge")
        #expect(huge["status"] as? String == "failed")
        #expect(huge["error"] as? String == "tock.sleep: args[0] (seconds) '1e+300' is out of range: expected a number from 0 to 3162240000")
        #expect(worker.isRunning, "the worker is alive: \(logText)")
        kill(worker.processIdentifier, SIGTERM)
        #expect(await TockProcess.exit(worker, within: .seconds(20)))
        #expect(worker.terminationStatus == 0, "\(logText)")
    }

    @Test(arguments: [
        (["enqueue", "tock.noop", "--args", "[" + String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000) + "]"],
         "--args nests deeper than 64 levels; at most 64 are accepted"),
        (["enqueue", "tock.noop", "--kwargs", #"{"a": "# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"],
         "--kwargs nests deeper than 64 levels; at most 64 are accepted"),
        (["enqueue", String(repeating: "n", count: 10_000)], "is 10000 characters long; at most 200 are accepted"),
        (["enqueue", "tock.noop", "--retry", "99999999"], "retries must be from 0 to 10000"),
        (["jobs", "--limit=-1"], "--limit must be from 1 to 100000, got -1"),
        (["jobs", "--limit", "0"], "--limit must be from 1 to 100000, got 0"),
    ])
    func refusedWithTheFieldAndTheLimit(arguments: [String], message: String) throws {
        let output = try tock(arguments)
        #expect(output.status != 0)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"), "\(output.stderr)")
        #expect(try tock(["jobs", "--json"]).stdout.contains("\"id\"") == false, "a job was stored")
    }
}
