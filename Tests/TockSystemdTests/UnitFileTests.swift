import Foundation
import Testing

extension ProcessEnvironmentTests {
    /// The units in `units/`, checked by `systemd-analyze` (systemd need not run as PID 1).
    ///
    /// `verify` fails when `ExecStart=`'s program does not exist, so each test copies the
    /// units to a temporary directory with `/usr/local/bin/tock` rewritten to `/bin/true`
    /// and checks the copies; nothing else is changed. Template units are checked through
    /// an instance (`tock-worker@default.service`), which systemd-analyze finds next to the
    /// template.
    @Suite(.enabled(if: SystemdAnalyze.path != nil, """
        SKIPPED LOUDLY: systemd-analyze is not installed, so the unit files in units/ are NOT \
        checked. Install it: apt-get install systemd (scripts/install-deps does).
        """))
    struct UnitFiles {
        static let units = ["tock-scheduler.service", "tock-worker@.service", "tock.target", "tock-api.service", "tock-api.socket"]
        static let checked = ["tock-scheduler.service", "tock-worker@default.service", "tock.target", "tock-api.service", "tock-api.socket"]
        static let services = ["tock-scheduler.service", "tock-worker@default.service", "tock-api.service"]

        @Test func everyUnitIsInTheDirectory() throws {
            let present = try FileManager.default.contentsOfDirectory(atPath: SystemdAnalyze.unitsDirectory.path)
            #expect(Set(present.filter { !$0.hasSuffix(".md") }) == Set(Self.units))
        }

        @Test(arguments: checked)
        func verifies(unit: String) throws {
            let copies = try UnitCopies()
            defer { copies.remove() }
            let output = try SystemdAnalyze.run(["verify", copies.path(unit)])
            #expect(output.status == 0, "\(output.stderr)")
            // An unknown or misspelt key is only a warning (exit 0): allow no output at all.
            #expect(output.stderr.isEmpty && output.stdout.isEmpty, "\(output.stderr)\(output.stdout)")
        }

        @Test(arguments: services)
        func exposureIsAtMostTwo(unit: String) throws {
            let copies = try UnitCopies()
            defer { copies.remove() }
            let output = try SystemdAnalyze.run(["security", "--offline=yes", "--threshold=20", copies.path(unit)])
            #expect(output.status == 0, "exposure above 2.0:\n\(output.stdout)\(output.stderr)")
            let exposure = try #require(SystemdAnalyze.exposure(in: output.stdout + output.stderr), "\(output.stdout)")
            #expect(exposure <= 2.0)
        }

        @Test func workerWaitsForTheLongestQueueOnStop() throws {
            let text = try String(contentsOf: SystemdAnalyze.unitsDirectory.appendingPathComponent("tock-worker@.service"), encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") })
            let seconds = try #require(Int(line.dropFirst("TimeoutStopSec=".count).dropLast()))
            #expect(line.hasSuffix("s"))
            #expect(seconds >= 1500 + 10, "the long queue's timeout (1500 s) + the worker's grace (10 s)")
            #expect(text.contains("\nKillMode=mixed\n"))
        }

        /// The API: Type=notify with a watchdog, a stop timeout the drain fits in, and a
        /// socket unit that listens on loopback only (tock serve refuses anything else
        /// without api.tokens) and passes one listening socket (Accept=no).
        @Test func apiIsANotifyServiceWithALoopbackSocket() throws {
            let service = try Self.settings("tock-api.service")
            #expect(service["Type"] == ["notify"])
            #expect(service["WatchdogSec"] == ["30s"])
            #expect(service["Restart"] == ["on-failure"])
            #expect(service["RestartPreventExitStatus"]?.first?.split(separator: " ").contains("78") == true)
            #expect(service["User"] == ["tock"])
            #expect(service["PartOf"] == ["tock.target"])
            let stop = try #require(service["TimeoutStopSec"]?.first)
            #expect(stop.hasSuffix("s") && (Int(stop.dropLast()) ?? 0) >= 10, "the drain of requests in flight needs time: \(stop)")
            #expect(service["ExecStart"] == ["/usr/local/bin/tock serve --config /etc/tock/tock.yaml"], "the address comes from the socket or a drop-in")
            let socket = try Self.settings("tock-api.socket")
            #expect(socket["ListenStream"] == ["127.0.0.1:8080"])
            #expect(socket["Accept"] == ["no"])
            #expect(socket["Service"] == nil, "implied by the name")
        }

        /// `KEY=value` lines of a unit (comments skipped), every value of each key in order.
        static func settings(_ unit: String) throws -> [String: [String]] {
            let text = try String(contentsOf: SystemdAnalyze.unitsDirectory.appendingPathComponent(unit), encoding: .utf8)
            var settings: [String: [String]] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("[") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                settings[String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
            }
            return settings
        }
    }
}

/// The units, copied to a temporary directory with the `tock` binary's path pointing at
/// `/bin/true`.
struct UnitCopies {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tock-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        for unit in ProcessEnvironmentTests.UnitFiles.units {
            let text = try String(contentsOf: SystemdAnalyze.unitsDirectory.appendingPathComponent(unit), encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/tock", with: "/bin/true")
                .write(to: directory.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
    }

    func path(_ unit: String) -> String { directory.appendingPathComponent(unit).path }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
