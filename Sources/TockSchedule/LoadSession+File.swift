import TockCron
import Yams

extension LoadSession {
    static let topLevelKeys = ["timezone", "jobs", "scheduler_events", "events"]

    /// Reads one file's top-level map.
    mutating func readFile(_ root: Node?) {
        let expected = "expected a map with keys " + Self.topLevelKeys.joined(separator: ", ")
        guard let root, !root.isNull else {
            error("the file is empty; " + expected, at: FileLocation(file: file, line: 1, column: 1))
            return
        }
        guard root.mapping != nil else {
            error("the file is \(root.kindDescription); " + expected, at: root)
            return
        }
        let fields = keyedFields(of: root, allowed: Self.topLevelKeys, in: "a schedule file")
        var fileZone: FileZone = .inherited
        if let node = fields["timezone"]?.value {
            fileZone = timeZone(node).map(FileZone.zone) ?? .invalid
        }
        if let node = fields["jobs"]?.value { readJobs(node) }
        guard !options.jobsOnly else { return }
        if let node = fields["scheduler_events"]?.value { readSchedulerEvents(node, fileZone: fileZone) }
        if let node = fields["events"]?.value { readEvents(node, fileZone: fileZone) }
    }

    /// Registers an event name for the duplicate check.
    mutating func declareEvent(_ name: String, at location: FileLocation) {
        eventDeclarations.append(Declaration(name: name, location: location, fileIndex: files.count - 1))
    }

    /// Registers a job name for the duplicate check.
    mutating func declareJob(_ name: String, at location: FileLocation) {
        jobDeclarations.append(Declaration(name: name, location: location, fileIndex: files.count - 1))
    }
}
