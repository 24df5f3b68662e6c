import Foundation
import GRDB
import Testing
import TockCore
import TockValues
@testable import TockSQLite

/// A row the backend cannot read (written by hand, another program, an older version, or
/// damaged) fails that one job; the claim goes on to the next and listings list the rest.
@Suite struct UnreadableRowTests {
    /// Damages for one queued row, each with what its error must name.
    static let damages: [(sql: String, names: String)] = [
        ("UPDATE jobs SET args = '[1, oops' WHERE id = 'bad'", "job 'bad' has an unreadable args: not JSON"),
        ("UPDATE jobs SET kwargs = '[]' WHERE id = 'bad'", "job 'bad' has an unreadable kwargs: not a JSON object"),
        ("UPDATE jobs SET args = '\(String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000))' WHERE id = 'bad'",
         "job 'bad' has an unreadable args: not JSON (nested deeper than 512"),
        ("UPDATE jobs SET timeout = 'abc' WHERE id = 'bad'", "job 'bad' has an unreadable timeout: abc is not a whole number"),
        ("UPDATE jobs SET timeout = 1e300 WHERE id = 'bad'", "job 'bad' has an unreadable timeout: 1e+300 is not a whole number"),
        ("UPDATE jobs SET retries_left = -3 WHERE id = 'bad'", "job 'bad' has an unreadable retries_left: -3 is not a whole number from 0"),
        ("UPDATE jobs SET created_at = 'yesterday' WHERE id = 'bad'", "job 'bad' has an unreadable created_at"),
        ("UPDATE jobs SET retry_intervals = '[1.5]' WHERE id = 'bad'", "job 'bad' has an unreadable retry_intervals"),
        ("UPDATE jobs SET name = x'fffe' WHERE id = 'bad'", "job 'bad' has an unreadable name: a blob of 2 bytes"),
    ]

    @Test(arguments: damages.indices)
    func theClaimFailsTheUnreadableRowAndTakesTheNext(_ index: Int) async throws {
        let (sql, names) = Self.damages[index]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let backend = try SQLiteBackend(path: path)
        _ = try await backend.enqueue([TestJobs.job("bad", at: TestJobs.t0), TestJobs.job("good", at: TestJobs.t0 + 1)], maxQueued: [:])
        // Another program writes to the file, as raw SQL.
        let other = try DatabaseQueue(path: path)
        try await other.write { db in try db.execute(sql: sql) }
        try other.close()

        // Listings go on, showing the bad row with what is wrong.
        let listed = try await backend.jobs(matching: JobFilter())
        #expect(listed.map(\.id.rawValue).sorted() == ["bad", "good"])
        let shown = try #require(listed.first { $0.id.rawValue == "bad" })
        #expect(shown.error?.hasPrefix(names) == true, "\(shown.error ?? "no error")")

        let claimed = try await backend.claim(from: ["default"], worker: "w", now: TestJobs.t0 + 2)
        #expect(claimed?.id.rawValue == "good")
        let bad = try #require(try await backend.job(JobID(unchecked: "bad")))
        #expect(bad.status == .failed)
        #expect(bad.error?.hasPrefix(names) == true, "\(bad.error ?? "no error")")
        #expect(try await backend.queueCounts()["default"]?[.failed] == 1)
        #expect(try await backend.claim(from: ["default"], worker: "w", now: TestJobs.t0 + 3) == nil)
        // The unreadable value is kept as it was, for whoever looks into it.
        let kept = try DatabaseQueue(path: path)
        let unchanged = try kept.read { db in
            try Row.fetchOne(db, sql: "SELECT \(JobRecord.selection) FROM jobs WHERE id = 'bad'")
        }
        try kept.close()
        #expect(JobRecord.read(try #require(unchanged)).problem != nil)
    }

    @Test func anUnknownStatusListsAsFailedWithTheReason() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let backend = try SQLiteBackend(path: path)
        _ = try await backend.enqueue([TestJobs.job("odd"), TestJobs.job("fine", at: TestJobs.t0 + 1)], maxQueued: [:])
        let other = try DatabaseQueue(path: path)
        try await other.write { db in try db.execute(sql: "UPDATE jobs SET status = 'paused' WHERE id = 'odd'") }
        try other.close()
        let listed = try await backend.jobs(matching: JobFilter())
        #expect(listed.count == 2)
        let odd = try #require(listed.first { $0.id.rawValue == "odd" })
        #expect(odd.status == .failed)
        #expect(odd.error == "job 'odd' has an unreadable status: unknown status 'paused'")
        #expect(try await backend.claim(from: ["default"], worker: "w", now: TestJobs.t0 + 2)?.id.rawValue == "fine")
    }

    /// Any SQL value in any numeric column: listed and claimed (or failed) without a trap.
    @Test func anyValueInANumericColumnNeverTraps() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let backend = try SQLiteBackend(path: path)
        let values = ["'nan'", "'inf'", "1e300", "-1e300", "9223372036854775807", "-9223372036854775808", "x'00ff'", "'1.5'", "0.5", "''"]
        let columns = ["timeout", "retries_left", "created_at", "enqueued_at", "stop_requested", "last_heartbeat"]
        var statements: [String] = []
        var ids: [String] = []
        for (c, column) in columns.enumerated() {
            for (v, value) in values.enumerated() {
                let id = "j\(c)-\(v)"
                ids.append(id)
                statements.append("UPDATE jobs SET \(column) = \(value) WHERE id = '\(id)'")
            }
        }
        _ = try await backend.enqueue(ids.enumerated().map { TestJobs.job($1, at: TestJobs.t0 + Double($0)) }, maxQueued: [:])
        let other = try DatabaseQueue(path: path)
        let sqls = statements
        try await other.write { db in for sql in sqls { try db.execute(sql: sql) } }
        try other.close()
        #expect(try await backend.jobs(matching: JobFilter(limit: 1_000)).count == ids.count)
        var claimed = 0
        while try await backend.claim(from: ["default"], worker: "w", now: TestJobs.t0 + 100) != nil { claimed += 1 }
        let counts = try await backend.queueCounts()["default"] ?? [:]
        #expect(counts[.queued] == nil, "every row was claimed or failed: \(counts)")
        #expect(claimed + (counts[.failed] ?? 0) == ids.count)
    }
}
