import Foundation
import Testing
import TockCore
import TockValues
@testable import TockRedis

/// The byte-level formats shared with Python RQ: times, job data, result entries, job hashes.
@Suite struct RQFormatTests {
    let zlib = RQZlib()

    @Test func timesAreRQsTextFormToTheMicrosecond() {
        let date = Date(timeIntervalSince1970: 1_800_000_000.123456)
        #expect(RQTime.text(date) == "2027-01-15T08:00:00.123456Z")
        #expect(RQTime.date("2027-01-15T08:00:00.123456Z") == MicrosecondTime.rounded(date))
        // RQ's older form, without a fraction, and fractions of other lengths.
        #expect(RQTime.date("2027-01-15T08:00:00Z") == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(RQTime.date("2027-01-15T08:00:00.5Z") == Date(timeIntervalSince1970: 1_800_000_000.5))
        #expect(RQTime.text(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500000Z")
        #expect(RQTime.text(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000000Z")
        for bad in ["", "2027-01-15", "2027-13-15T08:00:00Z", "2027-01-15T08:00:00.Z", "2027-01-15 08:00:00Z"] {
            #expect(RQTime.date(bad) == nil, "\(bad)")
        }
    }

    @Test func jobDataIsZlibJSONWithRQsHeader() throws {
        let data = RQJobData.encode(name: "tockinterop.add", args: [2, 3], kwargs: ["x": "y"], zlib: zlib)
        #expect(Array(data.prefix(2)) == [0x78, 0x9C], "RQ rejects raw deflate; zlib's default header is 78 9c")
        let call = try RQJobData.decode(data, zlib: zlib)
        #expect(call == RQJobData.Call(name: "tockinterop.add", args: [2, 3], kwargs: ["x": "y"]))
        // RQ falls back to uncompressed data; so does Tock.
        #expect(try RQJobData.decode(Array(#"["a.b", null, [], {}]"#.utf8), zlib: zlib).name == "a.b")
        // The compressor is reused: a second, different call decodes as itself.
        let other = RQJobData.encode(name: "b.c", args: [], kwargs: [:], zlib: zlib)
        #expect(try RQJobData.decode(other, zlib: zlib).name == "b.c")
        #expect(Array(other.prefix(2)) == [0x78, 0x9C], "a reset stream writes the header again")
        #expect(try RQJobData.decode(data, zlib: zlib) == call)
    }

    @Test func unreadableDataSaysWhatToDo() {
        func reason(_ bytes: [UInt8]) -> String {
            do {
                _ = try RQJobData.decode(bytes, zlib: zlib)
                return "decoded"
            } catch {
                return error.description
            }
        }
        // Pickle protocol 2+ starts with the PROTO opcode 0x80.
        #expect(reason([0x80, 0x05, 0x95]).contains("JSONSerializer"))
        #expect(reason(Array(#"["a.b", {"self": 1}, [], {}]"#.utf8)).contains("instance"))
        #expect(reason(Array(#"{"name": "a.b"}"#.utf8)).contains("[name, instance, args, kwargs]"))
        #expect(reason([0x78, 0x9C, 0x01]).contains("zlib"))
    }

    @Test func resultEntriesRoundTrip() {
        let entry = RQResult(type: .failed, workerName: "w", error: "boom")
        var fields: [String: [UInt8]] = [:]
        var words = entry.fields(zlib: zlib)[...]
        while let name = words.popFirst(), let value = words.popFirst() { fields[name] = Array(value.utf8) }
        let read = RQResult(fields: fields, zlib: zlib)
        #expect(read?.type == .failed)
        #expect(read?.error == "boom")
        #expect(read?.returnValue == .null, "RQ writes return_value even for None")
        #expect(RQResult(fields: ["type": Array("9".utf8)], zlib: zlib) == nil)
    }

    @Test func jobHashRoundTripsEveryField() throws {
        let job = Job(
            id: JobID(unchecked: "j1"), name: "app.work", args: [1], kwargs: ["k": true], queue: "short", timeout: 90,
            status: .scheduled, createdAt: Date(timeIntervalSince1970: 1_800_000_000.25), retriesLeft: 2,
            retryIntervals: [10, 60], progress: JobProgress(percent: 40, message: "x"), batch: "b1", origin: "cli",
            scheduledFor: Date(timeIntervalSince1970: 1_800_000_100), stopRequested: true, resultTTL: -1, failureTTL: 0)
        var hash = RQJobHash.fields(job).mapValues { Array($0.utf8) }
        #expect(hash["result_ttl"] == Array("-1".utf8) && hash["failure_ttl"] == Array("0".utf8))
        hash["data"] = RQJobHash.data(job, zlib: zlib)
        #expect(try RQJobHash.job(id: "j1", hash: hash, latestResult: nil, zlib: zlib) == job)
        #expect(RQJobHash.description(job) == #"app.work(1, k=true)"#)
        // Python RQ's `created` status reads as queued.
        #expect(RQJobHash.status("created") == .queued)
    }
}
