import Foundation
import Testing

/// `next()` must not allocate: `tock bench cron` runs under a preloaded allocation
/// counter (bench/malloc-count.c, compiled here) and reports allocations per call.
@Suite struct AllocationTests {
    static func compiler() -> String? {
        ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang", "/opt/swift/usr/bin/clang"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    @Test func nextDoesNotAllocate() throws {
        let cc = try #require(Self.compiler(), "no C compiler to build bench/malloc-count.c")
        let directory = try TockProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let library = directory.appendingPathComponent("malloc-count.so").path
        let source = TockProcess.packageRoot.appendingPathComponent("bench/malloc-count.c").path
        let build = Process()
        build.executableURL = URL(fileURLWithPath: cc)
        build.arguments = ["-shared", "-fPIC", "-O2", "-o", library, source]
        try build.run()
        build.waitUntilExit()
        try #require(build.terminationStatus == 0)

        let output = try TockProcess.run(
            ["bench", "cron", "--iterations", "20000", "--parses", "1", "--repeats", "1", "--json"],
            environment: ["LD_PRELOAD": library])
        #expect(output.status == 0, "\(output.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.count == 6)
        for result in results {
            let allocations = try #require(result["allocations_per_next"] as? Double, "counter not loaded: \(result)")
            #expect(allocations == 0, "\(result["name"] ?? "?") allocates")
        }
    }
}
