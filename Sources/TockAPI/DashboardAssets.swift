/// The dashboard's stylesheet, script and icon, compiled into the binary
/// (`Sources/TockAPI/Dashboard/`, `.embedInCode` in Package.swift): the pages load
/// nothing from anywhere else and work offline.
enum DashboardAssets {
    struct Asset: Sendable {
        var name: String
        var contentType: String
        var text: String
    }

    static let all: [Asset] = [
        Asset(name: "dashboard.css", contentType: "text/css; charset=utf-8", text: String(decoding: PackageResources.dashboard_css, as: UTF8.self)),
        Asset(name: "dashboard.js", contentType: "text/javascript; charset=utf-8", text: String(decoding: PackageResources.dashboard_js, as: UTF8.self)),
        Asset(name: "favicon.svg", contentType: "image/svg+xml", text: String(decoding: PackageResources.favicon_svg, as: UTF8.self)),
    ]
}
