import Foundation
@testable import TockCron

/// Parses `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `Z`) into a Date.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test timestamp \(text)") }
    return date
}

/// Formats `date` as ISO 8601 with the offset `zone` has then, as Python's isoformat.
func local(_ date: Date, _ zone: CronTimeZone) -> String {
    let seconds = Int(date.timeIntervalSince1970)
    let offset = zone.offset(at: seconds)
    let (days, secondOfDay) = CivilDate.floorDivide(seconds + offset, 86_400)
    let (y, m, d) = CivilDate.date(days: days)
    let sign = offset < 0 ? "-" : "+"
    let off = abs(offset)
    var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    text += String(format: "%@%02d:%02d", sign, off / 3600, off / 60 % 60)
    if off % 60 != 0 { text += String(format: ":%02d", off % 60) }
    return text
}

func zone(_ name: String) -> CronTimeZone {
    guard let zone = CronTimeZone(identifier: name) else { fatalError("unknown zone \(name)") }
    return zone
}

func fires(_ expression: String, _ zoneName: String, from start: String, count: Int = 5, hashKey: String? = nil) throws -> [String] {
    let tz = zone(zoneName)
    let schedule = CronSchedule(try CronExpression(expression, hashKey: hashKey), timeZone: tz)
    return schedule.fireTimes(after: instant(start)).prefix(count).map { local($0, tz) }
}
