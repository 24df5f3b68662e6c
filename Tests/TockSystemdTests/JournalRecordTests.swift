import Foundation
import Logging
import Testing
@testable import TockSystemd

/// What a log call becomes in the journal, built as pure code (no journald needed).
@Suite struct JournalRecordTests {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "backend unreachable: connection refused" }
    }

    @Test func fieldsInOrder() {
        let record = JournalRecord(
            level: .warning, message: "event skipped\nsecond line",
            metadata: ["queue": "long", "event": "cabs_app.sync", "job-id": "cabs_app.sync@2026-11-29T12:15:00Z"],
            label: "tock.scheduler", identifier: "tock", error: Boom(),
            file: "TockScheduler/Scheduler.swift", function: "fire(_:)", line: 42)
        #expect(record.fields == [
            "MESSAGE=event skipped\nsecond line",
            "PRIORITY=4",
            "SYSLOG_IDENTIFIER=tock",
            "TOCK_LABEL=tock.scheduler",
            "CODE_FILE=TockScheduler/Scheduler.swift",
            "CODE_LINE=42",
            "CODE_FUNC=fire(_:)",
            "TOCK_ERROR=backend unreachable: connection refused",
            "TOCK_EVENT=cabs_app.sync",
            "TOCK_JOB_ID=cabs_app.sync@2026-11-29T12:15:00Z",
            "TOCK_QUEUE=long",
        ])
        #expect(record.value(of: "TOCK_QUEUE") == "long")
        #expect(record.value(of: "TOCK_NOPE") == nil)
    }

    @Test func nestedMetadataIsItsDescription() {
        let record = JournalRecord(
            level: .info, message: "m", metadata: ["queues": ["short", "default"], "n": .stringConvertible(3)],
            label: "l", identifier: "tock", file: "f", function: "g", line: 1)
        #expect(record.value(of: "TOCK_QUEUES") == #"["short", "default"]"#)
        #expect(record.value(of: "TOCK_N") == "3")
        #expect(record.value(of: "TOCK_ERROR") == nil)
    }

    @Test func aLoggerCallThroughTheHandler() throws {
        let sent = Sent()
        var handler = JournaldLogHandler(
            label: "tock.worker", identifier: "tock", metadataProvider: .init { ["pool": "default", "queue": "provided"] },
            sink: { record in
                sent.append(record)
                return .success(())
            })
        handler.metadata = ["worker": "web1.4242.1", "queue": "handler"]
        var logger = Logger(label: "tock.worker") { _ in handler }
        logger[metadataKey: "slot"] = "1"

        logger.debug("not at the default level")
        logger.info("job started", metadata: ["job-id": "3f0c", "queue": "short"])

        let record = try #require(sent.records.first)
        #expect(sent.records.count == 1)
        #expect(record.value(of: "MESSAGE") == "job started")
        #expect(record.value(of: "PRIORITY") == "6")
        #expect(record.value(of: "TOCK_LABEL") == "tock.worker")
        #expect(record.value(of: "TOCK_JOB_ID") == "3f0c")
        #expect(record.value(of: "TOCK_QUEUE") == "short")  // the call's value wins
        #expect(record.value(of: "TOCK_POOL") == "default")
        #expect(record.value(of: "TOCK_WORKER") == "web1.4242.1")
        #expect(record.value(of: "TOCK_SLOT") == "1")
        #expect(record.value(of: "CODE_FILE")?.hasSuffix("JournalRecordTests.swift") == true)
        #expect(record.value(of: "CODE_FUNC") == "aLoggerCallThroughTheHandler()")
    }

    @Test func metadataLayersHandlerThenProviderThenCall() {
        var handler = JournaldLogHandler(label: "l", metadataProvider: .init { ["a": "provider", "b": "provider"] })
        handler.metadata = ["a": "handler", "b": "handler", "c": "handler"]
        #expect(handler.mergedMetadata(["b": "call"]) == ["a": "provider", "b": "call", "c": "handler"])
    }

    /// Records a sink was given.
    final class Sent: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [JournalRecord] = []

        var records: [JournalRecord] { lock.withLock { stored } }

        func append(_ record: JournalRecord) {
            lock.withLock { stored.append(record) }
        }
    }
}
