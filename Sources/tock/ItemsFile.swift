import ArgumentParser
import Foundation
import TockCore
import TockValues

/// `tock batch --items FILE.jsonl`: the file read a piece at a time, one JSON value per
/// line, so a batch of any size is never held whole.
struct ItemsFile {
    let path: String
    let handle: FileHandle

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("cannot read --items \(path): no such readable file")
        }
        self.handle = handle
    }

    /// Calls `body` with each item, in order.
    /// - Throws: A ``ArgumentParser/ValidationError`` naming `path:line` for a line that
    ///   is not JSON, or what `body` throws.
    func forEachItem(_ body: (JSONValue) async throws -> Void) async throws {
        defer { try? handle.close() }
        var lines = NDJSONLines()
        while true {
            let piece: Data
            do {
                piece = try handle.read(upToCount: 64 * 1024) ?? Data()
            } catch {
                throw ValidationError("cannot read --items \(path): \(error.localizedDescription)")
            }
            let found = try check { () throws(TockError) in piece.isEmpty ? lines.finish().map { [$0] } ?? [] : try lines.lines(in: piece) }
            for line in found { try await body(try check { () throws(TockError) in try line.value(field: "items") }) }
            if piece.isEmpty { return }
        }
    }

    /// Runs `read`, turning its error into one that names the file and line.
    private func check<T>(_ read: () throws(TockError) -> T) throws -> T {
        do {
            return try read()
        } catch {
            let detail: String
            switch error {
            case .malformedJSON(_, let text): detail = text
            default: detail = error.description
            }
            throw ValidationError("--items \(path): \(detail)")
        }
    }
}
