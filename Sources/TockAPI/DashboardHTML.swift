import Foundation
import TockCore
import TockValues

/// The dashboard's HTML, built as strings. Everything that comes from jobs, workers or
/// queues (names, errors, arguments) goes through ``escape(_:)``: a job named
/// `<script>` renders as text. The page layout links only the dashboard's own assets,
/// and the pages are served with a Content-Security-Policy allowing nothing else.
enum DashboardHTML {
    /// Text for an element's content or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A query or path component.
    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// A timestamp: UTC in the markup (so it reads without the script); the script shows
    /// it in the browser's zone and keeps UTC in the title.
    static func time(_ date: Date?) -> String {
        guard let date else { return "<span class=\"none\">—</span>" }
        let stamp = JobJSON.timestamp(date)
        return "<time datetime=\"\(stamp)\" title=\"\(stamp)\">\(stamp)</time>"
    }

    /// Seconds as `850 ms`, `12.3 s`, `4 min 5 s`, `2 h 3 min`.
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        if value < 1 { return "\(Int((value * 1000).rounded())) ms" }
        if value < 60 { return String(format: "%.1f s", value) }
        let whole = Int(value.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \((whole % 3600) / 60) min"
    }

    static func firstLine(_ text: String?) -> String {
        guard let text else { return "" }
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }

    static func status(_ status: JobStatus) -> String {
        "<span class=\"status status-\(status.rawValue)\" data-field=\"status\">\(status.rawValue)</span>"
    }

    static func jobLink(_ id: JobID) -> String {
        "<a href=\"/jobs/\(component(id.rawValue))\" class=\"mono id\" title=\"\(escape(id.rawValue))\">\(escape(id.rawValue))</a>"
    }

    /// JSON indented by two spaces, keys sorted, escaped for `<pre>`.
    static func prettyJSON(_ value: JSONValue) -> String {
        var text = ""
        writePretty(value, indent: "", to: &text)
        return escape(text)
    }

    private static func writePretty(_ value: JSONValue, indent: String, to text: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            text += "[\n"
            for (index, element) in elements.enumerated() {
                text += inner
                writePretty(element, indent: inner, to: &text)
                text += index == elements.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .object(let members) where !members.isEmpty:
            text += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                text += inner + JSONText.encode(.string(key)) + ": "
                writePretty(members[key]!, indent: inner, to: &text)
                text += index == keys.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        default:
            text += JSONText.encode(value)
        }
    }

    enum Section: String, CaseIterable {
        case overview, jobs, workers, queues

        var path: String { self == .overview ? "/" : "/\(rawValue)" }
        var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    /// A whole page: `page` names it for the script (`data-page`), `attributes` carry
    /// what the script needs (the job's id, the filter), already escaped.
    static func page(title: String, section: Section, page: String, attributes: String = "", body: String) -> String {
        let navigation = Section.allCases.map { item in
            let current = item == section ? " aria-current=\"page\"" : ""
            return "<a href=\"\(item.path)\"\(current)>\(item.title)</a>"
        }.joined()
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escape(title)) · Tock</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/assets/dashboard.js" defer></script>
            </head>
            <body data-page="\(page)"\(attributes)>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <a class="brand" href="/">Tock</a>
            <nav aria-label="Sections">\(navigation)</nav>
            <span id="live" class="live" role="status" aria-live="polite">static</span>
            </header>
            <main id="main">
            <h1>\(escape(title))</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }
}
