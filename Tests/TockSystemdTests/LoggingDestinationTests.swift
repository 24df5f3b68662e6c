import Foundation
import Logging
import Testing
import TockSystemd

/// `JOURNAL_STREAM` and the choice between journald and stderr. The environment is passed
/// as a dictionary: nothing here changes the process's own.
@Suite struct LoggingDestinationTests {
    @Test func parsesJournalStream() {
        #expect(JournalStream("8:12345") == JournalStream(device: 8, inode: 12345))
        #expect(JournalStream("8:") == nil)
        #expect(JournalStream("8") == nil)
        #expect(JournalStream("a:1") == nil)
        #expect(JournalStream("1:2:3") == nil)
        #expect(JournalStream(environment: [:]) == nil)
    }

    @Test func matchesTheFileItNames() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tock-stream-\(UUID().uuidString)").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer {
            close(descriptor)
            unlink(path)
        }
        let stream = try #require(identity(of: descriptor))
        #expect(stream.matches(fileDescriptor: descriptor))
        #expect(!JournalStream(device: stream.device, inode: stream.inode + 1).matches(fileDescriptor: descriptor))
        #expect(!stream.matches(fileDescriptor: -1))
    }

    @Test func automaticPicksJournaldOnlyWhenStderrIsTheStream() throws {
        let stderr = try #require(identity(of: STDERR_FILENO))
        let own = ["JOURNAL_STREAM": "\(stderr.device):\(stderr.inode)"]
        let inherited = ["JOURNAL_STREAM": "\(stderr.device):\(stderr.inode &+ 1)"]
        #expect(TockLogging.Destination.automatic.resolved(environment: own) == .journald)
        #expect(TockLogging.Destination.automatic.resolved(environment: inherited) == .standardError)
        #expect(TockLogging.Destination.automatic.resolved(environment: ["JOURNAL_STREAM": "junk"]) == .standardError)
        #expect(TockLogging.Destination.automatic.resolved(environment: [:]) == .standardError)
        #expect(TockLogging.Destination.journald.resolved(environment: [:]) == .journald)
        #expect(TockLogging.Destination.standardError.resolved(environment: own) == .standardError)
    }

    @Test func factoriesMakeTheChosenHandler() throws {
        let stderr = try #require(identity(of: STDERR_FILENO))
        let own = ["JOURNAL_STREAM": "\(stderr.device):\(stderr.inode)"]
        #expect(TockLogging.factory(environment: own)("tock.scheduler", nil) is JournaldLogHandler)
        #expect(TockLogging.factory(environment: [:])("tock.scheduler", nil) is StreamLogHandler)
        #expect(TockLogging.factory(destination: .journald, environment: [:])("x", nil) is JournaldLogHandler)
        #expect(TockLogging.makeHandler(label: "x", destination: .standardError) is StreamLogHandler)
        let handler = try #require(TockLogging.makeHandler(label: "tock.worker", destination: .journald) as? JournaldLogHandler)
        #expect(handler.label == "tock.worker")
        #expect(handler.identifier == "tock")
        #expect(handler.logLevel == .info)
    }

    @Test func destinationsBySpelling() {
        #expect(TockLogging.Destination("journald") == .journald)
        #expect(TockLogging.Destination("stderr") == .standardError)
        #expect(TockLogging.Destination("automatic") == .automatic)
        #expect(TockLogging.Destination("syslog") == nil)
        #expect(TockLogging.Destination.standardError.description == "stderr")
    }

    private func identity(of descriptor: Int32) -> JournalStream? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return JournalStream(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
