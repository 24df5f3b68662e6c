import Testing
import TockBackendConformance
import TockCore
import TockSQLite

@Suite struct SQLiteConformanceTests {
    @Test(arguments: BackendConformance.checkNames)
    func conformance(_ name: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await BackendConformance.run(name) { try SQLiteBackend(path: directory.file()) }
    }
}
