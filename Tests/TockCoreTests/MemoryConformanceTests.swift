import Testing
import TockBackendConformance
import TockCore

@Suite struct MemoryConformanceTests {
    @Test(arguments: BackendConformance.checkNames)
    func conformance(_ name: String) async throws {
        try await BackendConformance.run(name) { MemoryBackend() }
    }
}
