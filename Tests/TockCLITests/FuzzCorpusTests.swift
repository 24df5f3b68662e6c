import Foundation
import Testing

/// The fuzz targets as a normal build makes them (replay executables, no libFuzzer): each
/// reads its whole committed seed corpus without a crash or a failed property. They are not
/// dependencies of this target (each defines `LLVMFuzzerTestOneInput`: linked into one
/// test bundle they would clash); `swift build --build-tests` builds every target.
@Suite struct FuzzCorpusTests {
    static let targets = ["Cron", "Schedule", "Configuration", "JSON", "RESP", "RQJobHash", "SQLiteRow"]

    @Test(arguments: targets)
    func seedCorpusReplays(_ target: String) throws {
        let corpus = TockProcess.packageRoot.appendingPathComponent("Fuzz/\(target)/corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(!files.isEmpty)
        let output = try TockProcess.run([corpus.path], executable: TockProcess.product("Fuzz\(target)"))
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout == "\(files.count) inputs ran\n")
    }
}
