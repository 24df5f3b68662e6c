import Foundation
import TockCore
import TockCron

/// One line of `tock next`: an event's fire, as text and as JSON.
struct FireRow: Encodable {
    var event: String?
    var job: String?
    var queue: String?
    var instant: Int
    var zone: CronTimeZone
    var schedule: String
    var summary: String
    var enabled: Bool
    /// Seconds the event's jitter adds to `instant` before the job is enqueued.
    var jitter: Int

    var local: LocalTime { zone.localTime(at: instant) }

    enum CodingKeys: String, CodingKey {
        case event, job, queue, at, utc, timezone, schedule, description, enabled, jitter
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(job, forKey: .job)
        try container.encode(queue, forKey: .queue)
        try container.encode(local.iso8601, forKey: .at)
        try container.encode(CronTimeZone.utcISO8601(instant), forKey: .utc)
        try container.encode(zone.identifier, forKey: .timezone)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(summary, forKey: .description)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(jitter, forKey: .jitter)
    }
}

/// Left-aligned columns for terminal tables. Every cell goes through
/// ``TockCore/TerminalText``: control characters become visible escapes (a job's name or
/// error cannot move the cursor or break a row), and a cell longer than `limit`
/// characters is cut with `…` (`jobs show` passes `nil`: it is where the whole text is read).
enum TextTable {
    /// The longest cell of a list, in characters, before it is cut: room for an id, a
    /// name or the start of an error on one line.
    static let cellLimit = 60

    static func render(_ rows: [[String]], limit: Int? = cellLimit) -> String {
        guard rows.first != nil else { return "" }
        let rows = rows.map { row in
            row.map { cell in limit.map { TerminalText.cell(cell, limit: $0) } ?? TerminalText.escaped(cell) }
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
