import Foundation
import GRDB
import TockCore

/// Listings, newest first, through the indexes of migration "v4-job-listing" (see
/// ``Schema``): `jobs_listing (created_at, id)`, `jobs_status_listing (status, …)`,
/// `jobs_queue_listing (queue, status, …)` and `jobs_name_listing (name, …)`. A page
/// reads about `limit` index entries whatever the table holds, when the filter has a
/// status, a queue with a status, or a name prefix matching at most
/// ``maximumNamesMerged`` names; other criteria (origin prefix, worker, a queue without
/// status) are checked row by row while walking the index the query uses.
extension JobTables {
    /// Up to how many distinct names a name prefix is listed as one indexed walk per name.
    static let maximumNamesMerged = 32

    /// At most `filter.limit` jobs matching `filter`, newest first; unreadable rows as
    /// ``JobRecord/Read/shown``.
    func listing(_ filter: JobFilter) throws -> [Job] {
        try listedRecords(filter).map(\.shown)
    }

    /// ``listing(_:)`` as read, each row with its problem, if any.
    func listedRecords(_ filter: JobFilter) throws -> [JobRecord.Read] {
        guard filter.limit > 0 else { return [] }
        guard let prefix = filter.name, let names = try names(startingWith: prefix) else {
            return try listedRecords(filter, exactName: nil)
        }
        // Each name's newest jobs through the name index, merged.
        var merged: [JobRecord.Read] = []
        for name in names { merged += try listedRecords(filter, exactName: name) }
        return Array(merged.sorted { JobFilter.listedBefore($0.job, $1.job) }.prefix(filter.limit))
    }

    private func listedRecords(_ filter: JobFilter, exactName: String?) throws -> [JobRecord.Read] {
        let (selection, arguments) = Self.selection(filter, exactName: exactName)
        return try records("\(selection) ORDER BY created_at DESC, id DESC LIMIT ?", arguments + [filter.limit])
    }

    /// `WHERE …` for `filter`; with `exactName`, the name prefix replaced by that name.
    static func selection(_ filter: JobFilter, exactName: String?) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status = filter.status {
            // A literal (one of JobStatus's raw values), so that partial indexes apply.
            conditions.append("status = '\(status.rawValue)'")
        }
        if let queue = filter.queue {
            conditions.append("queue = ?")
            arguments.append(queue)
        }
        if let batch = filter.batch {
            conditions.append("batch = ?")
            arguments.append(batch)
        }
        if let exactName {
            conditions.append("name = ?")
            arguments.append(exactName)
        } else if let name = filter.name {
            conditions.append("name GLOB ?")
            arguments.append(globPrefix(name))
        }
        if let origin = filter.origin {
            conditions.append("origin GLOB ?")
            arguments.append(globPrefix(origin))
        }
        if let worker = filter.worker {
            conditions.append("worker = ?")
            arguments.append(worker)
        }
        if let since = filter.since {
            conditions.append("created_at >= ?")
            arguments.append(MicrosecondTime.microseconds(since))
        }
        if let until = filter.until {
            conditions.append("created_at < ?")
            arguments.append(MicrosecondTime.microseconds(until))
        }
        if let cursor = filter.cursor {
            conditions.append("(created_at, id) < (?, ?)")
            arguments.append(cursor.createdAt)
            arguments.append(cursor.id.rawValue)
        }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return (clause, StatementArguments(arguments))
    }

    /// A GLOB pattern matching text that starts with `prefix` (its `*`, `?` and `[`
    /// bracketed so they match themselves). SQLite reads the pattern's literal start as an
    /// index range.
    static func globPrefix(_ prefix: String) -> String {
        var pattern = ""
        for character in prefix {
            switch character {
            case "*", "?", "[": pattern += "[\(character)]"
            default: pattern.append(character)
            }
        }
        return pattern + "*"
    }

    /// The distinct names starting with `prefix`, each found by one seek in the name
    /// index (the next name after the last one found; names with a prefix sort together,
    /// right after the prefix itself); `nil` when there are more than
    /// ``maximumNamesMerged``.
    func names(startingWith prefix: String) throws -> [String]? {
        let first = try db.cachedStatement(sql: "SELECT name FROM jobs WHERE name >= ? ORDER BY name LIMIT 1")
        let next = try db.cachedStatement(sql: "SELECT name FROM jobs WHERE name > ? ORDER BY name LIMIT 1")
        var names: [String] = []
        var found = try String.fetchOne(first, arguments: [prefix])
        while let name = found, name.utf8.starts(with: prefix.utf8) {
            guard names.count < Self.maximumNamesMerged else { return nil }
            names.append(name)
            found = try String.fetchOne(next, arguments: [name])
        }
        return names
    }
}
