import Logging
import Testing
import TockSystemd

/// Metadata keys → journal field names, levels → syslog priorities.
@Suite struct JournalFieldTests {
    @Test(arguments: [
        ("event", "TOCK_EVENT"),
        ("job-id", "TOCK_JOB_ID"),
        ("queue", "TOCK_QUEUE"),
        ("tock.queue", "TOCK_QUEUE"),
        ("TOCK_JOB_ID", "TOCK_JOB_ID"),
        ("worker.slot-count", "TOCK_WORKER_SLOT_COUNT"),
        ("größe", "TOCK_GR__E"),
        ("2fa", "TOCK_2FA"),
        ("_private", "TOCK__PRIVATE"),
        ("", "TOCK_"),
    ])
    func metadataKeys(key: String, field: String) {
        #expect(JournalFieldName.forMetadataKey(key) == field)
    }

    @Test func longKeysAreCutToJournaldsLimit() {
        let name = JournalFieldName.forMetadataKey(String(repeating: "k", count: 100))
        #expect(name.count == 64)
        #expect(name.hasPrefix("TOCK_KKK"))
    }

    @Test func everyNameIsOneJournaldAccepts() {
        for key in ["a b", "ä-ö.ü", "x=y", "line\nbreak", "🙂", "MiXeD.Case-key_9"] {
            let name = JournalFieldName.forMetadataKey(key)
            #expect(name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }, "\(name)")
            #expect(name.hasPrefix("TOCK_"))
        }
    }

    @Test func levelsMapToSyslogPriorities() {
        let priorities = Logger.Level.allCases.map { "\($0)=\($0.syslogPriority)" }
        #expect(priorities == ["trace=7", "debug=7", "info=6", "notice=5", "warning=4", "error=3", "critical=2"])
    }
}
