import Foundation
import Testing

/// Every ```` ```console ```` block of README.md and docs/*.md, run as a person would type
/// it, in a scratch directory holding a copy of `schedules/` and `examples/`, with the
/// built `tock` and `example-worker` first on `PATH`. A doc example that fails is a
/// failing test. The rules (docs/contributing.md says the same):
///
/// - `$ COMMAND` lines run in order, each in `bash -c`; what follows a command up to the
///   next `$` is its expected output (stdout and stderr as a terminal shows them: colour
///   codes dropped, a line redrawn with `\r` shown as last drawn). A command shown without
///   output must exit 0 and may print anything.
/// - ` # …` at the end of a command is a comment. `swift build …` lines are not run (the
///   test's binaries are on `PATH`); `swift run NAME` runs the built `NAME`.
/// - `COMMAND &` runs in the background (its output is not compared) and the next
///   command waits 3 s, then until no job is queued or running (at most 60 s), as a
///   person would wait for the worker; the block's background processes get SIGTERM at
///   its end. A daemon in the foreground (`tock scheduler`, `tock dev`, `tock worker`
///   without `--burst`) runs 4 s, then gets SIGTERM, and must not have failed.
/// - Comparing: runs of spaces are one space (tables widen with content); blank lines
///   are ignored; a UUID matches any UUID; `…` matches anything within a line, and a line
///   of just `…` any number of lines.
/// - A `<!-- doc-test: … -->` line just before the block changes that: `times vary`
///   (timestamps, durations, ages and percentages match any), `numbers vary` (every
///   number matches any), `skip: REASON` (not run: systemd, journald; each `tock` command
///   in it is checked against its `--help` for syntax only).
@Suite(.serialized) struct DocumentationExampleTests {
    struct Step: Sendable {
        var command: String
        var expected: [String]
        var line: Int
    }

    struct Block: Sendable, CustomTestStringConvertible {
        var file: String
        var line: Int
        var markers: [String]
        var steps: [Step]
        var testDescription: String { "\(file):\(line)" }

        func has(_ marker: String) -> Bool { markers.contains { $0 == marker || $0.hasPrefix(marker + ":") } }
    }

    static let root = TockProcess.packageRoot

    static func documents() -> [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    static func blocks() -> [Block] {
        var blocks: [Block] = []
        for file in documents() {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var index = 0
            while index < lines.count {
                defer { index += 1 }
                guard lines[index] == "```console" else { continue }
                var markers: [String] = []
                var before = index - 1
                while before >= 0, lines[before].trimmingCharacters(in: .whitespaces).isEmpty { before -= 1 }
                if before >= 0, let match = lines[before].wholeMatch(of: /<!-- doc-test: (.*) -->/) {
                    markers = match.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
                let start = index + 1
                var steps: [Step] = []
                index += 1
                while index < lines.count, lines[index] != "```" {
                    let line = lines[index]
                    if line.hasPrefix("$ ") {
                        steps.append(Step(command: String(line.dropFirst(2)), expected: [], line: index + 1))
                    } else if !line.trimmingCharacters(in: .whitespaces).isEmpty, !steps.isEmpty {
                        steps[steps.count - 1].expected.append(line)
                    }
                    index += 1
                }
                blocks.append(Block(file: file, line: start, markers: markers, steps: steps))
            }
        }
        return blocks
    }

    @Test func everyDocumentHasItsBlocksFound() {
        let blocks = Self.blocks()
        #expect(Set(blocks.map(\.file)).isSuperset(of: ["README.md", "docs/api.md", "docs/cron.md", "docs/jobs.md", "docs/scheduler.md"]))
        #expect(blocks.allSatisfy { !$0.steps.isEmpty }, "a console block without a $ command")
        let known = ["times vary", "numbers vary", "skip"]
        for block in blocks {
            for marker in block.markers where !known.contains(where: { marker == $0 || marker.hasPrefix($0 + ":") }) {
                Issue.record("\(block.file):\(block.line): unknown doc-test marker '\(marker)'")
            }
        }
    }

    /// Every relative link `[…](file.md#anchor)` in the docs names a file that exists and
    /// a heading in it (GitHub's anchors: lower case, punctuation dropped, spaces as `-`).
    @Test func linksAndAnchorsResolve() throws {
        func anchors(_ file: URL) throws -> Set<String> {
            let text = try String(contentsOf: file, encoding: .utf8)
            var found: Set<String> = []
            var inFence = false
            for line in text.split(separator: "\n") {
                if line.hasPrefix("```") { inFence.toggle() }
                guard !inFence, line.hasPrefix("#") else { continue }
                let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
                let slug = title.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" || $0 == "_" }
                found.insert(String(String.UnicodeScalarView(slug)).replacingOccurrences(of: " ", with: "-"))
            }
            return found
        }
        for document in Self.documents() {
            let url = Self.root.appendingPathComponent(document)
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: /\]\(([^)\s]+)\)/) {
                let target = String(match.output.1)
                if target.hasPrefix("http") || target.hasPrefix("mailto:") { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? url : url.deletingLastPathComponent().appendingPathComponent(parts[0])
                #expect(FileManager.default.fileExists(atPath: file.path), "\(document): link to \(target): no such file")
                if parts.count == 2, file.pathExtension == "md", FileManager.default.fileExists(atPath: file.path) {
                    #expect(try anchors(file).contains(parts[1]), "\(document): link to \(target): no such heading")
                }
            }
        }
    }

    @Test(arguments: blocks())
    func runs(_ block: Block) async throws {
        if block.has("skip") {
            try checkSyntax(block)
            return
        }
        let scratch = try TockProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for folder in ["schedules", "examples"] where FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(folder).path) {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent(folder), to: scratch.appendingPathComponent(folder))
        }
        let environment = Self.environment()
        var background: [Process] = []
        defer {
            for process in background where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        for (number, step) in block.steps.enumerated() {
            guard var command = Self.runnable(step.command) else { continue }
            let where_ = "\(block.file):\(step.line) `\(step.command)`"
            let log = scratch.appendingPathComponent("step-\(number).log")
            let inBackground = command.hasSuffix("&")
            if inBackground { command = String(command.dropLast()).trimmingCharacters(in: .whitespaces) }
            // `exec` so that a signal reaches the command itself, unless the shell has more to do.
            let shell = command.contains("&&") || command.contains("|") || command.contains(";") ? command : "exec " + command
            let process = try TockProcess.start(
                ["-c", shell], executable: URL(fileURLWithPath: "/bin/bash"), in: scratch, environment: environment, log: log)
            if inBackground {
                background.append(process)
                try await Task.sleep(for: .seconds(3))
                try await Self.waitUntilNoJobIsWaitingOrRunning(in: scratch)
                continue
            }
            if Self.isDaemon(command) {
                try await Task.sleep(for: .seconds(4))
                #expect(process.isRunning, "\(where_) did not keep running: \(Self.read(log))")
                kill(process.processIdentifier, SIGTERM)
                #expect(await TockProcess.exit(process, within: .seconds(40)), "\(where_) ignored SIGTERM")
                #expect(process.terminationStatus == 0, "\(where_) exited \(process.terminationStatus) on SIGTERM: \(Self.read(log))")
                continue
            }
            let ended = await TockProcess.exit(process, within: .seconds(120))
            let output = Self.read(log)
            #expect(ended, "\(where_) still running after 120 s")
            #expect(process.terminationStatus == 0, "\(where_) exited \(process.terminationStatus):\n\(output)")
            if !step.expected.isEmpty {
                let actual = Self.screen(output)
                #expect(
                    Self.matches(actual, step.expected, block), "\(where_) printed:\n\(actual.joined(separator: "\n"))\nthe doc shows:\n\(step.expected.joined(separator: "\n"))")
            }
        }
        for process in background where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in background { _ = await TockProcess.exit(process, within: .seconds(40)) }
    }

    // MARK: - Commands

    /// The command as the test runs it: without its comment, `swift run NAME` as the built
    /// `NAME`; `nil` for `swift build` lines.
    static func runnable(_ line: String) -> String? {
        let command = withoutComment(line)
        if command.hasPrefix("swift build") { return nil }
        if command.hasPrefix("swift run ") { return String(command.dropFirst("swift run ".count)) }
        return command
    }

    /// Cuts a ` # comment` that is outside quotes.
    static func withoutComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#", previous == " " {
                return String(line[..<index]).trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// `tock scheduler` (not a subcommand of it), `tock dev`, `tock worker` without `--burst`.
    static func isDaemon(_ command: String) -> Bool {
        let words = command.split(separator: " ").map(String.init)
        guard words.first == "tock", words.count >= 2 else { return false }
        switch words[1] {
        case "scheduler": return words.count == 2 || words[2].hasPrefix("-") || words[2] == "run"
        case "dev": return true
        case "worker": return !words.contains("--burst")
        default: return false
        }
    }

    /// What a person does after starting a worker: waits until the work is done (at most
    /// 60 s), judged by `tock queues` on the scratch directory's database.
    static func waitUntilNoJobIsWaitingOrRunning(in scratch: URL) async throws {
        guard FileManager.default.fileExists(atPath: scratch.appendingPathComponent("tock.db").path) else { return }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let output = try TockProcess.run(["queues", "--json"], in: scratch, environment: environment())
            let queues = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [[String: Any]] ?? []
            if !queues.isEmpty, queues.allSatisfy({ ($0["queued"] as? Int ?? 1) == 0 && ($0["started"] as? Int ?? 1) == 0 }) { return }
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    static func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TOCK_") && $0.key != "NOTIFY_SOCKET" }
        let binaries = TockProcess.binary.deletingLastPathComponent().path
        environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["COLUMNS"] = "200"
        return environment
    }

    /// A skipped block's `tock` commands are accepted by `--help` with every flag they use.
    func checkSyntax(_ block: Block) throws {
        for step in block.steps {
            guard let command = Self.runnable(step.command), command.hasPrefix("tock ") else { continue }
            let help = try TockProcess.run(["-c", command + " --help"], executable: URL(fileURLWithPath: "/bin/bash"), environment: Self.environment())
            #expect(help.status == 0, "\(block.file):\(step.line): \(help.stderr)")
            for flag in command.matches(of: /\s(--[a-z][a-z0-9-]*)/).map({ String($0.output.1) }) {
                #expect(help.stdout.contains(flag), "\(block.file):\(step.line): \(flag) is not an option of `\(command)`")
            }
        }
    }

    // MARK: - Comparing

    static func read(_ log: URL) -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The output as a terminal leaves it: colour codes gone, a redrawn line as last drawn,
    /// no blank lines.
    static func screen(_ output: String) -> [String] {
        output.replacing(/\x{1B}\[[0-9;?]*[A-Za-z]/, with: "").replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.split(separator: "\r", omittingEmptySubsequences: false).last ?? "") }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// One line with what varies made uniform, as the block's markers say.
    static func normalized(_ line: String, _ block: Block) -> String {
        var text = line.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "<id>")
        if block.has("times vary") || block.has("numbers vary") {
            text = text.replacing(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?( ?[+-]\d\d:\d\d|Z)?/, with: "<time>")
            text = text.replacing(/\d+(\.\d+)?(ns|µs|ms|s|m|h|d)\b/, with: "<duration>")
            text = text.replacing(/\d+(\.\d+)?%/, with: "<percent>")
        }
        if block.has("numbers vary") { text = text.replacing(/\d+(\.\d+)?/, with: "<n>") }
        return text.replacing(/[ \t]+/, with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// Whether `actual` is what the doc shows, with `…` as the wildcard.
    static func matches(_ actual: [String], _ expected: [String], _ block: Block) -> Bool {
        let actual = actual.map { normalized($0, block) }
        let expected = expected.map { normalized($0, block) }
        func lineMatches(_ line: String, _ pattern: String) -> Bool {
            guard pattern.contains("…") else { return line == pattern }
            let parts = pattern.split(separator: "…", omittingEmptySubsequences: false).map { NSRegularExpression.escapedPattern(for: String($0)) }
            return line.range(of: "^" + parts.joined(separator: ".*") + "$", options: .regularExpression) != nil
        }
        // Line sequences with `…` lines matching any run: a small memoized match.
        var memo: [Int: Bool] = [:]
        func match(_ a: Int, _ e: Int) -> Bool {
            let key = a * (expected.count + 1) + e
            if let known = memo[key] { return known }
            let result: Bool
            if e == expected.count {
                result = a == actual.count
            } else if expected[e] == "…" {
                result = match(a, e + 1) || (a < actual.count && match(a + 1, e))
            } else {
                result = a < actual.count && lineMatches(actual[a], expected[e]) && match(a + 1, e + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
