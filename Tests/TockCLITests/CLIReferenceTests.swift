import Foundation
import Testing

/// docs/cli.md against the binary's own description of itself
/// (`tock --experimental-dump-help`): every command has a section, and each section names
/// exactly the command's flags — none missing, none stale.
@Suite struct CLIReferenceTests {
    /// Flags every command has, or that the page's introduction covers once.
    static let common: Set<String> = ["--help", "--version", "--config", "--backend"]

    /// Each command path ("tock jobs list") with its long flags, leaving out groups
    /// (`tock jobs`) that only hold subcommands, and `help`.
    static func commands() throws -> [(path: String, flags: Set<String>)] {
        let output = try TockProcess.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        var found: [(String, Set<String>)] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            var flags: Set<String> = []
            for argument in arguments where argument["kind"] as? String != "positional" {
                let names = argument["names"] as? [[String: Any]] ?? []
                if let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String { flags.insert("--" + long) }
            }
            let own = flags.subtracting(common)
            if path.count > 1, !own.isEmpty || subcommands.isEmpty || arguments.contains(where: { $0["kind"] as? String == "positional" }) {
                found.append((path.joined(separator: " "), own))
            }
            for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
        }
        walk(try #require(root["command"] as? [String: Any]), ["tock"])
        return found
    }

    /// docs/cli.md's sections by heading (`## \`tock jobs list\``), each with the flags it names.
    static func sections() throws -> [String: Set<String>] {
        let text = try String(contentsOf: TockProcess.packageRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        var sections: [String: Set<String>] = [:]
        var current: String?
        let flag = /--[a-z][a-z0-9-]*/
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## `"), let end = line.dropFirst(4).firstIndex(of: "`") {
                current = String(line.dropFirst(4)[..<end])
                sections[current!] = []
            } else if let current {
                for match in line.matches(of: flag) { sections[current]?.insert(String(match.output)) }
            }
        }
        return sections
    }

    @Test func everyCommandAndFlagIsDocumentedAndNothingStale() throws {
        let commands = try Self.commands()
        let sections = try Self.sections()
        #expect(commands.count > 20)
        for (path, flags) in commands {
            guard let documented = sections[path] else {
                Issue.record("docs/cli.md has no section '## `\(path)`'")
                continue
            }
            let named = documented.subtracting(Self.common)
            #expect(flags.subtracting(named).isEmpty, "\(path): undocumented \(flags.subtracting(named).sorted())")
            #expect(named.subtracting(flags).isEmpty, "\(path): documented but not accepted \(named.subtracting(flags).sorted())")
        }
        let stale = Set(sections.keys).subtracting(commands.map(\.path))
        #expect(stale.isEmpty, "sections for commands that do not exist: \(stale.sorted())")
    }
}
