import Hummingbird
import TockValues

/// The routes and methods the OpenAPI document declares, read from the document itself:
/// a request for a declared path with an undeclared method is answered 405 with `Allow`
/// (Hummingbird's router says only "not found"), so the server and its document cannot
/// disagree on that.
struct RouteTable: Sendable {
    struct Route: Sendable {
        var segments: [Substring]
        var methods: [String]

        var parameterCount: Int { segments.filter { $0.hasPrefix("{") }.count }

        func matches(_ path: [Substring]) -> Bool {
            path.count == segments.count && zip(segments, path).allSatisfy { template, segment in
                template.hasPrefix("{") || template == segment
            }
        }
    }

    let routes: [Route]

    /// The document compiled into the binary.
    static let declared = RouteTable(document: PackageResources.openapi_json)

    init(document: [UInt8]) {
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        guard case .object(let root)? = try? JSONParser.parse(String(decoding: document, as: UTF8.self)),
            case .object(let paths)? = root["paths"]
        else {
            routes = []
            return
        }
        routes = paths.compactMap { path, item in
            guard case .object(let operations) = item else { return nil }
            return Route(
                segments: path.split(separator: "/"), methods: operations.keys.filter(methods.contains).map { $0.uppercased() }.sorted())
        }
    }

    /// The methods declared for `path` by its most specific declared paths (fewest
    /// `{parameters}`: `/api/v1/jobs/requeue` is that path, not `/api/v1/jobs/{id}`);
    /// empty when no declared path matches it.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matching = routes.filter { $0.matches(segments) }
        guard let fewest = matching.map(\.parameterCount).min() else { return [] }
        return Array(Set(matching.filter { $0.parameterCount == fewest }.flatMap(\.methods))).sorted()
    }
}
