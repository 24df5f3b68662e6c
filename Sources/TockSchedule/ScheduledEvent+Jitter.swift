import TockValues
import Foundation

extension ScheduledEvent {
    /// The event's delay after each fire time, in seconds: a value in `[0, jitter]`
    /// that depends only on the event's name, so it is the same on every host and
    /// after every restart, and different events spread out.
    ///
    /// It is the 64-bit FNV-1a hash of the name's UTF-8 bytes modulo `jitter + 1`.
    /// Renaming the event changes it.
    public var jitterOffset: Int {
        guard jitter > 0 else { return 0 }
        return Int(Self.fnv1a(name) % UInt64(jitter + 1))
    }

    /// The first time the event's job is due strictly after `date`: the schedule's
    /// next fire time plus ``jitterOffset``; `nil` for `@reboot` or a schedule that has
    /// run out. Disabled events are answered like enabled ones.
    public func nextRun(after date: Date) -> Date? {
        let offset = TimeInterval(jitterOffset)
        return schedule.next(after: date.addingTimeInterval(-offset)).map { $0.addingTimeInterval(offset) }
    }

    /// 64-bit FNV-1a of `text`'s UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

extension ScheduledEvent {
    /// The event's `args` as a job's arguments: a list becomes `args`, a map `kwargs`,
    /// any other value the one argument.
    public var jobArguments: (args: [JSONValue], kwargs: [String: JSONValue]) {
        switch args {
        case .array(let values)?: (values, [:])
        case .object(let members)?: ([], members)
        case .none, .null?: ([], [:])
        case let value?: ([value], [:])
        }
    }
}
