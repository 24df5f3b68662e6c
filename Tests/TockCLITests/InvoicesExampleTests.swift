import Foundation
import Testing
import TockTestSupport

/// `examples/invoices/run` end to end, as the example's README says to run it, with 1,000
/// invoices: `tock serve`, a worker, the Python client, the ledger.
@Suite(.serialized) final class InvoicesExampleTests {
    let directory: URL

    init() throws {
        directory = try TockProcess.temporaryDirectory()
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    @Test(.enabled(if: hasPython)) func aThousandInvoicesArePostedExceptTheRefusedChunk() throws {
        // A copy of the example, so its ledger is written there and not in the checkout.
        let example = directory.appendingPathComponent("invoices")
        try FileManager.default.copyItem(at: TockProcess.packageRoot.appendingPathComponent("examples/invoices"), to: example)
        try? FileManager.default.removeItem(at: example.appendingPathComponent("ledger.db"))
        let run = try ProcessOutput.run(
            example.appendingPathComponent("run"), ["--count", "1000"],
            environment: ProcessInfo.processInfo.environment.merging(["TOCK": TockProcess.binary.path]) { $1 },
            directory: directory)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("1000 invoices in 10 chunks, accepted"), "\(run.stdout)")
        #expect(run.stdout.contains("100% 10/10 chunks"), "\(run.stdout)")
        // Invoice 500 has a negative amount: its chunk (invoices 401–500) is refused whole.
        #expect(run.stdout.contains("-5: invoice 500: amount -12.50 is negative"), "\(run.stdout)")
        #expect(run.stdout.contains("summary: 900 invoices posted, 100 failed (1 of 10 chunks), batch failed"), "\(run.stdout)")
        let ledger = try ProcessOutput.run(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                "-c",
                """
                import sqlite3
                db = sqlite3.connect("ledger.db")
                print(*db.execute("SELECT COUNT(*), MIN(invoice), MAX(invoice), COUNT(DISTINCT job) FROM ledger").fetchone())
                print(*db.execute("SELECT COUNT(*) FROM ledger WHERE invoice BETWEEN 401 AND 500 OR amount < 0").fetchone())
                """,
            ], directory: example)
        #expect(ledger.stdout == "900 1 1000 9\n0\n", "\(ledger.stdout)\(ledger.stderr)")
        #expect(run.stdout.contains("ledger: 900 invoices"), "\(run.stdout)")
    }
}
