import Foundation
import Testing
import TockSystemd

/// `sd_journal_sendv` itself. Build sandboxes and containers usually run no journald:
/// then only the failure path is tested, and the live send is skipped (the record's fields
/// are tested as pure code in ``JournalRecordTests``).
@Suite struct JournalSendTests {
    static let journaldRuns = FileManager.default.fileExists(atPath: Journal.socketPath)

    let record = JournalRecord(
        level: .notice, message: "TockSystemdTests: live journald send", metadata: ["event": "test"],
        label: "tock.tests", identifier: "tock-tests", file: #fileID, function: #function, line: #line)

    @Test(.enabled(if: journaldRuns, "SKIPPED: no journald here (/run/systemd/journal/socket missing); the live send is not tested"))
    func sendsToARunningJournald() {
        #expect(throws: Never.self) { try Journal.send(record).get() }
    }

    @Test(.enabled(if: !journaldRuns, "journald runs here; see sendsToARunningJournald"))
    func withoutJournaldTheFailureIsAValue() {
        guard case .failure(let error) = Journal.send(record) else {
            Issue.record("sd_journal_sendv succeeded without \(Journal.socketPath)")
            return
        }
        #expect(error.operation == "sd_journal_sendv")
        #expect([ENOENT, ECONNREFUSED].contains(error.code), "\(error)")
    }
}
