import Foundation
import TockCron
import Yams

/// The state of one ``ScheduleLoader`` run: what has been read so far and what was
/// wrong with it. Files are read one after another into it; ``finish()`` checks what
/// spans files (duplicate names, undeclared jobs) and builds the set.
struct LoadSession {
    /// No resolver rules: plain scalars' tags are resolved on demand (``Yams/Node/tagName``).
    static let resolver = Resolver.basic

    /// A name declared somewhere (an event or a job), for the duplicate check.
    struct Declaration {
        var name: String
        var location: FileLocation
        var fileIndex: Int
    }

    /// An event read without errors, with what ``finish()`` still has to fill in from
    /// its job.
    struct EventDraft {
        var event: ScheduledEvent
        var hasOwnQueue: Bool
        var hasOwnTimeout: Bool
        var fileIndex: Int
    }

    let options: ScheduleLoader.Options
    var problems: [ScheduleProblem] = [] {
        didSet { errorCount = problems.count { $0.isError } }
    }
    var files: [String] = []
    /// The file being read.
    var file = ""
    var jobs: [JobDefinition] = []
    var events: [EventDraft] = []
    var jobDeclarations: [Declaration] = []
    var eventDeclarations: [Declaration] = []
    /// Every job an event names, where it names it.
    var jobReferences: [(job: String, location: FileLocation)] = []
    /// One zone table per distinct name (`nil`: unknown), shared by every event using it.
    var zones: [String: CronTimeZone?] = [:]
    let defaultZone: CronTimeZone

    init(options: ScheduleLoader.Options) {
        self.options = options
        if let zone = CronTimeZone(identifier: options.defaultTimeZone) {
            defaultZone = zone
            zones[options.defaultTimeZone] = zone
        } else {
            defaultZone = .utc
            problems.append(
                ScheduleProblem(
                    .error, at: FileLocation(file: "<options>", line: 0, column: 0),
                    "unknown default time zone '\(options.defaultTimeZone)'; expected an IANA name such as Europe/Berlin or UTC"
                ))
        }
    }

    /// How many of ``problems`` are errors (kept up to date, so that every declaration
    /// can ask whether it added one without rescanning).
    private(set) var errorCount = 0
    /// Parsed schedules without `H`, by text.
    var parsedExpressions: [String: CronExpression] = [:]

    /// Parses `yaml` and reads the declarations of the file it holds.
    mutating func read(yaml: String, file: String) {
        self.file = file
        files.append(file)
        if let breach = YAMLExpansion.breach(in: yaml) {
            error(breach.message, at: FileLocation(file: file, line: breach.line, column: breach.column))
            return
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, Self.resolver)
        } catch {
            problems.append(YAMLErrorReport.problem(for: error, yaml: yaml, file: file))
            return
        }
        readFile(root)
    }

    /// Where `node` is written in the current file.
    func location(of node: Node) -> FileLocation {
        let mark = node.mark
        return FileLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func error(_ message: String, at node: Node) {
        problems.append(ScheduleProblem(.error, at: location(of: node), message))
    }

    mutating func error(_ message: String, at location: FileLocation) {
        problems.append(ScheduleProblem(.error, at: location, message))
    }
}
