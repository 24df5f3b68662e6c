import CYaml

/// The budget for what YAML aliases may expand a document to, so that a small file of
/// nested aliases (the "billion laughs") cannot take the memory and time of its expansion.
///
/// Yams resolves an alias to the anchored node itself, so composing costs what was
/// written, with one exception: it compares the keys of every map, and a key that is an
/// alias costs its whole expansion. Every walk over the composed document (reading
/// events, turning `args` into JSON, applying merge keys) visits an alias once per use.
/// So the expansion is counted before Yams composes anything, from libyaml's events, in
/// time proportional to what was written: an anchor's expanded size is remembered, and
/// an alias adds it. Merge keys (`<<: *defaults`) are aliases too, and count as what
/// they merge.
///
/// ```swift
/// if let breach = YAMLExpansion.breach(in: yaml) {
///     print("\(breach.line):\(breach.column): \(breach.message)")
/// }
/// ```
public enum YAMLExpansion {
    /// Nodes a document may always expand to.
    public static let baseLimit = 100_000
    /// Nodes allowed per byte of the document on top of ``baseLimit``. A node written out
    /// takes at least one byte, so a document without aliases never reaches the limit.
    public static let nodesPerByte = 2

    /// The limit for a document of `byteCount` bytes: ``baseLimit`` plus
    /// ``nodesPerByte`` per byte (clamped, never overflowing).
    public static func limit(byteCount: Int) -> Int {
        let (perByte, overflow) = max(0, byteCount).multipliedReportingOverflow(by: nodesPerByte)
        return overflow ? Int.max : baseLimit.addingClamped(perByte)
    }

    /// Where a document outgrows its limit.
    public struct Breach: Sendable, Hashable {
        /// 1-based position of the node (most often an alias) that takes the expansion
        /// past the limit.
        public var line: Int
        public var column: Int
        /// Nodes that node adds by itself.
        public var addedNodes: Int
        /// The limit: ``YAMLExpansion/limit(byteCount:)`` of the document.
        public var limit: Int

        /// One line: what was exceeded and what to do.
        public var message: String {
            "YAML aliases expand this file past the limit of \(limit) nodes "
                + "(\(YAMLExpansion.baseLimit) plus \(YAMLExpansion.nodesPerByte) per byte); "
                + "this node adds \(addedNodes) by itself; write the values out or use fewer nested aliases"
        }
    }

    /// The place where `yaml` expands past ``limit(byteCount:)`` nodes, or `nil` when it
    /// stays within it. A syntax error ends the count early with `nil`: Yams reports it.
    public static func breach(in yaml: String) -> Breach? {
        var text = yaml
        return text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var counter = Counter(limit: limit(byteCount: bytes.count))
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let breach = counter.add(event) { return breach }
            }
        }
    }

    /// The running count: one frame per open list or map, and each anchor's size.
    private struct Counter {
        let limit: Int
        var total = 0
        var anchors: [String: Int] = [:]
        var open: [(anchor: String?, size: Int)] = []

        init(limit: Int) {
            self.limit = limit
        }

        mutating func add(_ event: yaml_event_t) -> Breach? {
            let added: Int
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                return nil
            case YAML_SCALAR_EVENT:
                added = 1
                close(anchor: name(event.data.scalar.anchor), size: 1)
            case YAML_ALIAS_EVENT:
                // An undefined alias is Yams' to report; it costs nothing here.
                added = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                close(anchor: nil, size: added)
            case YAML_SEQUENCE_START_EVENT:
                added = 1
                open.append((name(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                added = 1
                open.append((name(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let frame = open.popLast() { close(anchor: frame.anchor, size: frame.size) }
                return nil
            default:
                return nil
            }
            total = total.addingClamped(added)
            guard total > limit else { return nil }
            let mark = event.start_mark
            return Breach(line: Int(mark.line) + 1, column: Int(mark.column) + 1, addedNodes: added, limit: limit)
        }

        /// A node of `size` ends: its anchor remembers the size, its parent grows by it.
        private mutating func close(anchor: String?, size: Int) {
            if let anchor { anchors[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size = open[open.count - 1].size.addingClamped(size) }
        }

        private func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: $0) }
        }
    }
}

extension Int {
    /// `self + other`, `Int.max` when it would overflow.
    fileprivate func addingClamped(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
