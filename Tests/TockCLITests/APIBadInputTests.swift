import Foundation
import Testing
import TockTestSupport

/// Hostile and broken requests against a real `tock serve`: each gets a clear 4xx as
/// problem+json, nothing is stored, and the server keeps serving.
@Suite(.serialized) struct APIBadInputTests {
    @Test func brokenBodiesAndIdsAreRefusedAndNothingIsStored() async throws {
        let server = try APIServer()
        try await server.start()
        var bodies: [(String, Data)] = [
            ("invalid UTF-8", Data([0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])),
            ("malformed JSON", Data(#"{"name": "tock.noop""#.utf8)),
            ("wrong types", Data(#"{"name": ["tock.noop"], "kwargs": [], "retry": "often"}"#.utf8)),
            ("an array", Data("[1, 2]".utf8)),
            ("empty", Data()),
            ("NUL in the name", Data(#"{"name": "tock\u0000noop"}"#.utf8)),
        ]
        for id in ["a/b", "..", "../../etc/passwd", "nul\u{0}id", String(repeating: "x", count: 10_000)] {
            let quoted = String(decoding: try JSONSerialization.data(withJSONObject: [id]), as: UTF8.self).dropFirst().dropLast()
            bodies.append(("id \(id.prefix(20))", Data(#"{"name": "tock.noop", "id": \#(quoted)}"#.utf8)))
        }
        for (what, body) in bodies {
            let answer = try await server.raw("POST", "/api/v1/jobs", body, headers: ["Content-Type": "application/json"])
            #expect(answer.status == 400, "\(what): \(answer.status)")
            #expect(answer.headers["content-type"] == "application/problem+json", "\(what)")
        }
        for path in ["a%2Fb", "..", "%2E%2E", "%00", "nul%00id", String(repeating: "x", count: 10_000), "%FF%FE"] {
            for (method, suffix) in [("GET", ""), ("POST", "/cancel"), ("DELETE", "")] {
                let answer = try await server.raw(method, "/api/v1/jobs/\(path)\(suffix)")
                #expect((400..<500).contains(answer.status), "\(method) /api/v1/jobs/\(path.prefix(20))\(suffix): \(answer.status)")
            }
        }
        let list = try await server.call("GET", "/api/v1/jobs")
        #expect(list.status == 200)
        let jobs = (list.body as? [String: Any])?["jobs"] as? [Any]
        #expect(jobs?.isEmpty == true, "a refused request stored a job: \(String(describing: list.body))")
        #expect(try await server.call("POST", "/api/v1/jobs", #"{"name": "tock.noop"}"#).status == 202, "the server stopped serving")
    }
}
