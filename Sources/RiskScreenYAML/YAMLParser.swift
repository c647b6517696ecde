internal import CYAML
internal import RiskScreenSupport

/// Reads one YAML document into ``YAMLNode``s with libyaml, keeping every node's line and column.
///
/// Aliases are refused (so an alias bomb fails at its first alias), duplicate keys are refused,
/// keys must be scalars, and ``YAMLLimits`` bounds size, depth and node count.
package enum YAMLParser {
    /// Parses `bytes` (UTF-8) as one YAML document; an empty document gives an empty scalar.
    package static func parse(
        _ bytes: [UInt8], file: String, limits: YAMLLimits
    ) throws(YAMLError) -> YAMLNode {
        let origin = SourceLocation(file: file, line: 1, column: 1)
        if bytes.count > limits.maxInputBytes {
            throw YAMLError(
                at: origin,
                "the file is \(bytes.count) bytes; at most \(limits.maxInputBytes) bytes are accepted")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(at: origin, "libyaml could not start (out of memory)")
        }
        defer { yaml_parser_delete(&parser) }
        // An empty buffer still needs a valid pointer.
        let input = bytes.isEmpty ? [0] : bytes
        return try input.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> YAMLNode in
            let feed = InputFeed(
                bytes: UnsafeBufferPointer(rebasing: buffer[0..<bytes.count]),
                // A scalar is one event: input read past this much since the last event cannot be a scalar we accept.
                limit: limits.maxScalarBytes + 64 << 10)
            let context = Unmanaged.passUnretained(feed).toOpaque()
            yaml_parser_set_input(
                &parser,
                { data, chunk, size, read in
                    guard let data, let chunk, let read else { return 0 }
                    return Unmanaged<InputFeed>.fromOpaque(data).takeUnretainedValue().fill(
                        chunk, size: size, read: read)
                }, context)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var builder = Builder(file: file, limits: limits, input: buffer, feed: feed)
            return try withExtendedLifetime(feed) { () throws(YAMLError) -> YAMLNode in try builder.run(&parser) }
        }
    }

    /// Hands libyaml its input in chunks, and stops it once it has read too far without finishing an event,
    /// so an enormous scalar fails after about the limit instead of after the whole scalar is scanned.
    final class InputFeed {
        let bytes: UnsafeBufferPointer<UInt8>
        let limit: Int
        var offset = 0
        var offsetAtLastEvent = 0
        var exceeded = false

        init(bytes: UnsafeBufferPointer<UInt8>, limit: Int) {
            self.bytes = bytes
            self.limit = limit
        }

        func fill(_ chunk: UnsafeMutablePointer<UInt8>, size: Int, read: UnsafeMutablePointer<Int>) -> Int32 {
            if offset - offsetAtLastEvent > limit {
                exceeded = true
                return 0
            }
            let count = min(size, bytes.count - offset)
            if count > 0, let base = bytes.baseAddress {
                chunk.update(from: base + offset, count: count)
            }
            offset += max(0, count)
            read.pointee = max(0, count)
            return 1
        }
    }

    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var location: SourceLocation
        var startCharacter: Int
        var items: [YAMLNode] = []
        var entries: [YAMLNode.Entry] = []
        var pendingKey: (String, SourceLocation, Range<Int>)?
        var seenKeys: [String: SourceLocation] = [:]
    }

    private struct Builder {
        let file: String
        let limits: YAMLLimits
        let input: UnsafeBufferPointer<UInt8>
        let feed: InputFeed
        var stack: [Frame] = []
        var root: YAMLNode?
        var documents = 0
        var nodes = 0

        init(file: String, limits: YAMLLimits, input: UnsafeBufferPointer<UInt8>, feed: InputFeed) {
            self.file = file
            self.limits = limits
            self.input = input
            self.feed = feed
        }

        /// The line and column of a byte offset, counting columns in characters.
        func location(ofByte offset: Int) -> SourceLocation {
            var line = 1
            var column = 1
            for index in 0..<min(offset, input.count) {
                if input[index] == 0x0A {
                    line += 1
                    column = 1
                } else if input[index] & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return SourceLocation(file: file, line: line, column: column)
        }

        func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }

        mutating func run(_ parser: inout yaml_parser_t) throws(YAMLError) -> YAMLNode {
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw parserError(parser)
                }
                defer { yaml_event_delete(&event) }
                feed.offsetAtLastEvent = feed.offset
                let at = location(event.start_mark)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return root
                        ?? YAMLNode(.scalar("", quoted: false), at: SourceLocation(file: file, line: 1, column: 1))
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        throw YAMLError(at: at, "found a second YAML document (---); expected one document per file")
                    }
                case YAML_ALIAS_EVENT:
                    throw YAMLError(
                        at: at,
                        "found an alias (*name); aliases are not accepted in RiskScreen files, write the value out")
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    if scalar.length > limits.maxScalarBytes {
                        throw YAMLError(
                            at: at,
                            "found a scalar of \(scalar.length) bytes; at most \(limits.maxScalarBytes) bytes are accepted"
                        )
                    }
                    let text = String(
                        decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
                    let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE
                    let block = scalar.style == YAML_LITERAL_SCALAR_STYLE || scalar.style == YAML_FOLDED_SCALAR_STYLE
                    let range =
                        Int(event.start_mark.index)..<max(Int(event.start_mark.index), Int(event.end_mark.index))
                    try add(
                        YAMLNode(
                            .scalar(text, quoted: quoted), at: at, characterRange: range,
                            style: block ? .blockScalar : quoted ? .quoted : .plain))
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if stack.count >= limits.maxDepth {
                        throw YAMLError(
                            at: at, "found nesting deeper than \(limits.maxDepth) levels; expected a shallower document"
                        )
                    }
                    if let top = stack.last, top.isMapping, top.pendingKey == nil {
                        throw YAMLError(at: at, "found a list or mapping used as a key; expected a plain key")
                    }
                    stack.append(
                        Frame(
                            isMapping: event.type == YAML_MAPPING_START_EVENT,
                            isFlow: event.type == YAML_MAPPING_START_EVENT
                                ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE,
                            location: at,
                            startCharacter: Int(event.start_mark.index)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { break }
                    let range = frame.startCharacter..<max(frame.startCharacter, Int(event.end_mark.index))
                    let style: YAMLNode.Style = frame.isFlow ? .flowCollection : .blockCollection
                    let node =
                        frame.isMapping
                        ? YAMLNode(.mapping(frame.entries), at: frame.location, characterRange: range, style: style)
                        : YAMLNode(.sequence(frame.items), at: frame.location, characterRange: range, style: style)
                    try add(node)
                default:
                    break
                }
            }
        }

        mutating func add(_ node: YAMLNode) throws(YAMLError) {
            nodes += 1
            if nodes > limits.maxNodes {
                throw YAMLError(
                    at: node.location, "found more than \(limits.maxNodes) nodes; expected a smaller document")
            }
            guard !stack.isEmpty else {
                root = node
                return
            }
            let index = stack.count - 1
            if !stack[index].isMapping {
                stack[index].items.append(node)
                return
            }
            if let (key, keyLocation, keyRange) = stack[index].pendingKey {
                stack[index].entries.append(
                    YAMLNode.Entry(key: key, keyLocation: keyLocation, value: node, keyCharacterRange: keyRange))
                stack[index].pendingKey = nil
                return
            }
            guard let key = node.scalar else {
                throw YAMLError(at: node.location, "found \(node.kindDescription) used as a key; expected a plain key")
            }
            // libyaml leaves YAML 1.1 merge keys to the application; RiskScreen does not merge (as it does not follow
            // aliases): each value is written where it applies, and a college file changes a shared one by layering.
            if key == "<<", case .scalar(_, quoted: false) = node.content {
                throw YAMLError(
                    at: node.location,
                    "found the merge key <<; expected the values written out (RiskScreen files use no merge keys or aliases; "
                        + "a college file extends a rule set and overrides what differs)")
            }
            if let first = stack[index].seenKeys[key] {
                throw YAMLError(
                    at: node.location,
                    "found the key \"\(key)\" a second time (first at line \(first.line)); expected each key once")
            }
            stack[index].seenKeys[key] = node.location
            stack[index].pendingKey = (key, node.location, node.characterRange)
        }

        func parserError(_ parser: yaml_parser_t) -> YAMLError {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            if feed.exceeded {
                return YAMLError(
                    at: location(ofByte: feed.offsetAtLastEvent),
                    "found a scalar longer than \(limits.maxScalarBytes) bytes; at most \(limits.maxScalarBytes) bytes are accepted"
                )
            }
            if parser.error == YAML_READER_ERROR {
                // Reader errors carry a byte offset, not a mark.
                return YAMLError(
                    at: location(ofByte: parser.problem_offset),
                    "found bytes that are not UTF-8 (\(problem)); save the file as UTF-8")
            }
            var message = problem
            if let context = parser.context {
                message = "\(problem) \(String(cString: context))"
            }
            let mark = parser.problem_mark
            let at = location(mark)
            if mark.index < input.count, input[mark.index] == 0x09 {
                message = "found a tab character; YAML indents with spaces only"
            }
            return YAMLError(at: at, message)
        }
    }
}
