import TockCore

/// Opens the backend a URL names.
enum BackendOpener {
    static func open(_ url: String) throws -> any TockBackend {
        if url == "memory:" || url == "memory" { return MemoryBackend() }
        throw TockError.unsupportedBackend(url)
    }
}
