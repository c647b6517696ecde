internal import Foundation
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Reads typed values out of YAML nodes into a bag of diagnostics: a value it cannot use is reported (what was found,
/// what was expected) and given as nil.
///
/// Every step of ``RuleSetBuilder`` takes the one decoder `inout`, so a rule set's diagnostics land in one bag in the
/// order the steps run.
struct NodeDecoder {
    /// A name as a list of names writes it (`route: [a, b]`, `during: exams`), with where it was written.
    struct WrittenName {
        var name: String
        var location: SourceLocation
    }

    /// The diagnostics reported so far, with the text of the files read (to quote a diagnostic's line).
    var bag: DiagnosticBag

    /// The entries of a mapping by key, after checking for unknown and missing keys.
    mutating func fields(
        _ node: YAMLNode, _ what: String, allowed: [String], required: [String] = []
    ) -> [String: YAMLNode.Entry]? {
        guard let entries = node.entries else {
            bag.error(
                .typeMismatch,
                "found \(node.kindDescription) for \(what); expected a mapping with \(allowed.joined(separator: ", "))",
                at: node.location)
            return nil
        }
        var result: [String: YAMLNode.Entry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                result[entry.key] = entry
            } else {
                bag.error(
                    .unknownKey,
                    "found the unknown key \"\(entry.key)\" in \(what); expected one of: \(allowed.joined(separator: ", "))"
                        + Suggestion.hint(for: entry.key, in: allowed),
                    at: entry.keyLocation)
            }
        }
        for key in required where result[key] == nil || result[key]?.value.isNull == true {
            bag.error(.missingKey, "found no \(key) in \(what); expected \(key): …", at: node.location)
        }
        return result
    }

    /// Text, such as a reason or a source.
    mutating func text(_ node: YAMLNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar, !node.isNull else {
            bag.error(.typeMismatch, "found \(node.kindDescription) for \(what); expected text", at: node.location)
            return nil
        }
        return text
    }

    /// A plain number within ±1e9.
    static func parseNumber(_ node: YAMLNode) -> Double? {
        guard case .scalar(let text, let quoted) = node.content, !quoted, let value = Double(text), value.isFinite,
            abs(value) <= 1e9
        else { return nil }
        return value
    }

    /// The code for `node` refused as a number: ``Diagnostic/Code/outOfRange`` for a plain number past ±1e9 (or not
    /// finite), ``Diagnostic/Code/typeMismatch`` for anything else.
    static func numberCode(_ node: YAMLNode) -> Diagnostic.Code {
        guard case .scalar(let text, let quoted) = node.content, !quoted, Double(text) != nil else {
            return .typeMismatch
        }
        return .outOfRange
    }

    /// A number, or the name of a parameter whose value is used.
    mutating func number(_ node: YAMLNode?, _ what: String, parameters: [String: Double]) -> Double? {
        guard let node else { return nil }
        if let value = Self.parseNumber(node) { return value }
        if let name = node.scalar, let value = parameters[name] { return value }
        let found: String
        let code: Diagnostic.Code
        if let name = node.scalar, !node.isNull, Definitions.isValidID(name) {
            found = "the unknown parameter \"\(name)\"" + Suggestion.hint(for: name, in: parameters.keys)
            code = .unknownName
        } else {
            found = node.kindDescription
            code = Self.numberCode(node)
        }
        bag.error(
            code, "found \(found) for \(what); expected a number (within ±1e9) or a parameter name", at: node.location)
        return nil
    }

    /// `true` or `false` (`yes` and `no` too).
    mutating func boolean(_ node: YAMLNode?, _ what: String) -> Bool? {
        guard let node else { return nil }
        switch node.scalar {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            bag.error(
                .typeMismatch, "found \(node.kindDescription) for \(what); expected true or false", at: node.location)
            return nil
        }
    }

    /// A list of names (or one name), with where each was written.
    mutating func names(_ node: YAMLNode?, _ what: String) -> [WrittenName] {
        guard let node, !node.isNull else { return [] }
        if let single = node.scalar { return [WrittenName(name: single, location: node.location)] }
        guard let items = node.items else {
            bag.error(
                .typeMismatch, "found \(node.kindDescription) for \(what); expected a list of names", at: node.location)
            return []
        }
        var result: [WrittenName] = []
        for item in items {
            guard let name = item.scalar, !item.isNull else {
                bag.error(.typeMismatch, "found \(item.kindDescription) in \(what); expected a name", at: item.location)
                continue
            }
            result.append(WrittenName(name: name, location: item.location))
        }
        return result
    }

    /// A label: one text for both languages, or `{zh: …, en: …}`.
    mutating func label(_ node: YAMLNode?, fallback: String) -> Label {
        guard let node, !node.isNull else { return Label(zh: "", en: fallback) }
        if let text = node.scalar { return Label(zh: text, en: text) }
        guard let entries = fields(node, "label", allowed: ["zh", "en"]) else { return Label(zh: "", en: fallback) }
        let zh = text(entries["zh"]?.value, "label zh") ?? ""
        let en = text(entries["en"]?.value, "label en") ?? ""
        return Label(zh: zh, en: en.isEmpty ? (zh.isEmpty ? fallback : zh) : en)
    }

    /// The index of the level a node names, or nil (reported) when it names none of `levels`.
    mutating func level(_ node: YAMLNode?, _ what: String, in levels: [Level]) -> Int? {
        guard let node else { return nil }
        if let name = node.scalar, let found = levels.firstIndex(where: { $0.id == name }) { return found }
        bag.error(
            .unknownName,
            "found \(node.kindDescription) for \(what); expected one of the levels: \(levels.map(\.id).joined(separator: ", "))"
                + Suggestion.hint(for: node.scalar ?? "", in: levels.map(\.id)),
            at: node.location)
        return nil
    }

    /// Where the character at `offset` of an expression written in `node` stands in its file.
    func expressionLocation(_ node: YAMLNode, offset: Int) -> SourceLocation {
        guard case .scalar(let text, let quoted) = node.content else { return node.location }
        let scalars = Array(text.unicodeScalars)
        let clamped = min(max(0, offset), scalars.count)
        let before = scalars[..<clamped]
        let lineIndex = before.filter { $0 == "\n" }.count
        if lineIndex == 0 && !text.contains("\n") {
            return node.location.advanced(by: clamped + (quoted ? 1 : 0))
        }
        // A multi-line scalar: find the written line that holds this line of the expression.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let columnInLine = before.count - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0)
        let wanted = lines[min(lineIndex, lines.count - 1)].trimmingCharacters()
        var line = node.location.line + lineIndex
        for candidate in node.location.line...(node.location.line + lineIndex + 2) {
            if let source = bag.sources.line(SourceLocation(file: node.location.file, line: candidate, column: 1)),
                !wanted.isEmpty, let range = source.range(of: wanted)
            {
                line = candidate
                let startColumn = source.unicodeScalars.distance(
                    from: source.unicodeScalars.startIndex,
                    to: range.lowerBound.samePosition(in: source.unicodeScalars) ?? source.unicodeScalars.startIndex)
                let leading = lines[min(lineIndex, lines.count - 1)].prefix { $0 == " " }.count
                return SourceLocation(
                    file: node.location.file, line: line, column: startColumn + max(0, columnInLine - leading) + 1)
            }
        }
        return SourceLocation(file: node.location.file, line: line, column: columnInLine + 1)
    }
}
