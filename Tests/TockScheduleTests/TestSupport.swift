import Foundation
import Testing
import TockSchedule

/// Schedule files written to a fresh temporary directory, loaded with fixed options.
struct ScheduleFixture {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tock-schedule-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The path of `name` in the fixture's directory.
    func path(_ name: String) -> String { directory + "/" + name }

    /// Writes `text` to `name` (creating subdirectories) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension ScheduleLoader.Options {
    /// 2026-01-01T00:00:00Z, so "fires within 100 years" does not depend on the day.
    static let testNow = Date(timeIntervalSince1970: 1_767_225_600)

    /// The default options with a fixed `now`.
    static var test: ScheduleLoader.Options { ScheduleLoader.Options(now: testNow) }
}

/// Writes each `(name, text)` to a fresh directory, loads the files in that order, and
/// removes the directory.
func load(
    _ files: [(String, String)], options: ScheduleLoader.Options = .test
) throws -> (result: ScheduleLoadResult, paths: [String]) {
    let fixture = try ScheduleFixture()
    defer { fixture.remove() }
    let paths = try files.map { try fixture.write($0.0, $0.1) }
    return (ScheduleLoader(options: options).load(paths: paths), paths)
}

/// Loads one file called `app.yaml`.
func load(_ text: String, options: ScheduleLoader.Options = .test) throws -> (result: ScheduleLoadResult, path: String) {
    let loaded = try load([("app.yaml", text)], options: options)
    return (loaded.result, loaded.paths[0])
}

/// The one problem a load reported, failing the test when there is not exactly one.
func onlyProblem(_ result: ScheduleLoadResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ScheduleProblem {
    try #require(result.problems.count == 1, "problems: \(result.problems)", sourceLocation: sourceLocation)
    return result.problems[0]
}

/// `line:column` of a problem, for compact expectations.
extension ScheduleProblem {
    var position: String { "\(line):\(column)" }
}

/// The one error a load reported (warnings aside), failing the test when there is not
/// exactly one.
func onlyError(_ result: ScheduleLoadResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ScheduleProblem {
    try #require(result.errors.count == 1, "problems: \(result.problems)", sourceLocation: sourceLocation)
    return result.errors[0]
}
