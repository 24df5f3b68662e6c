import TockCore
import TockSQLite

/// Opens the backend a URL names: `sqlite:PATH` (the embedded default) or `memory:`.
enum BackendOpener {
    static func open(_ url: String) throws -> any TockBackend {
        if url == "memory:" || url == "memory" { return MemoryBackend() }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            // sqlite:///abs/path and sqlite://rel are accepted as well as sqlite:PATH.
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw TockError.unsupportedBackend(url) }
            return try SQLiteBackend(path: path)
        }
        throw TockError.unsupportedBackend(url)
    }
}
