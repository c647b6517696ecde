internal import RiskScreenRecords
internal import RiskScreenRules
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Writes new `expect:` values into a fixture file's text, splicing at the places libyaml reported for each node,
/// and leaves every other byte (comments, blank lines, block scalars, anchors, tags, flow students) as it was.
///
/// A student whose `expect:` exists has that value replaced, up to the end of its last scalar or bracket (so a
/// comment after it stays): a block mapping by a block mapping, anything else by a flow mapping. A student without one
/// gets `expect:` after its last entry: in a flow mapping after the last value, in a block mapping on a line of its own
/// at the keys' indentation (a block mapping when the file writes its `expect:` values so), after a block scalar's
/// trailing line breaks (they belong to the scalar). Given a review mark, the student's `why:` gets it at its front.
/// The result is read again and compared with the original; a student whose rewrite would read differently is
/// refused, not written.
struct FixtureRecorder {
    /// One splice: the bytes of `range` become `text`.
    struct Edit {
        /// The student's index among the fixture's cases.
        var caseIndex: Int
        /// The bytes replaced (empty for an insertion).
        var range: Range<Int>
        /// What is written there.
        var text: [UInt8]
    }

    /// The fixture as read.
    let fixture: Fixture
    /// The byte offset of each character as libyaml counts them, and one past the end.
    private let byteOffsets: [Int]
    /// The file's own line break: `\r\n`, `\r` or `\n`.
    private let lineBreak: [UInt8]
    /// How far the keys of a block `expect:` mapping are indented from `expect:`, when the file's first block student
    /// with an `expect:` writes it so; nil when it writes a flow mapping (or no block student has one), and new
    /// `expect:` values of block students are then flow mappings.
    private let blockExpectIndent: Int?

    /// Prepares to rewrite a fixture's text.
    init(_ fixture: Fixture) {
        self.fixture = fixture
        let bytes = fixture.bytes
        var offsets: [Int] = []
        offsets.reserveCapacity(bytes.count + 1)
        // libyaml counts characters; a UTF-8 continuation byte is not one.
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 { offsets.append(offset) }
        offsets.append(bytes.count)
        byteOffsets = offsets
        if let newline = bytes.firstIndex(of: 0x0A) {
            lineBreak = newline > 0 && bytes[newline - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
        } else {
            lineBreak = bytes.contains(0x0D) ? [0x0D] : [0x0A]
        }
        let written = fixture.cases.lazy.compactMap { fixtureCase -> YAMLNode.Entry? in
            guard fixtureCase.node.style == .blockCollection else { return nil }
            return fixtureCase.node.entries?.first { $0.key == "expect" }
        }.first
        if let written, written.value.style == .blockCollection, let key = written.value.entries?.first {
            blockExpectIndent = max(1, key.keyLocation.column - written.keyLocation.column)
        } else {
            blockExpectIndent = nil
        }
    }

    private func byteOffset(_ character: Int) -> Int { byteOffsets[min(max(0, character), byteOffsets.count - 1)] }

    private static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || isLineBreak(byte) }

    /// The node whose end is where `node`'s text ends: a block collection ends with its last child,
    /// not at the next token as libyaml reports it (that would take in the comments that follow).
    private static func lastLeaf(_ node: YAMLNode) -> YAMLNode {
        guard node.style == .blockCollection else { return node }
        if let last = node.entries?.last { return lastLeaf(last.value) }
        if let last = node.items?.last { return lastLeaf(last) }
        return node
    }

    /// A value written by ``edits(caseIndex:writing:mark:)``: an expectation, or a `why:` text.
    private enum Value {
        case expectation(Expectation)
        case text(String)
    }

    /// The splices that write `expectation` as the expectation of the fixture's case at `index` and, given a review
    /// `mark` (``ReviewMark/text(before:after:)``), put it at the front of the student's `why:` (adding a `why:` when
    /// there is none); with the `why:` as it then reads.
    func edits(caseIndex index: Int, writing expectation: Expectation, mark: String?) -> Result<
        (edits: [Edit], why: String?), RecordFileError
    > {
        let fixtureCase = fixture.cases[index]
        let student = fixtureCase.node
        guard let entries = student.entries, !entries.isEmpty else {
            return .failure(
                RecordFileError(
                    .typeMismatch, at: student.location,
                    "found \(student.kindDescription) for a student; expected a mapping"))
        }
        var edits: [Edit] = []
        var added: [(key: String, value: Value)] = []
        if let expect = entries.first(where: { $0.key == "expect" })?.value {
            edits.append(replacement(of: expect, caseIndex: index, writing: expectation))
        } else {
            added.append(("expect", .expectation(expectation)))
        }
        var why = fixtureCase.why
        if let mark {
            if let entry = entries.first(where: { $0.key == "why" }) {
                switch whyEdit(entry, caseIndex: index, mark: mark) {
                case .success(let (edit, marked)):
                    edits.append(edit)
                    why = marked
                case .failure(let error): return .failure(error)
                }
            } else {
                why = mark + ReviewMark.noReason
                added.append(("why", .text(mark + ReviewMark.noReason)))
            }
        }
        if !added.isEmpty {
            switch insertion(of: added, caseIndex: index) {
            case .success(let edit): edits.append(edit)
            case .failure(let error): return .failure(error)
            }
        }
        return .success((edits, why))
    }

    /// The splice that replaces an existing `expect:` value: a block mapping stays a block mapping (one key a line,
    /// at its keys' indentation, its anchor or tag kept); anything else becomes a flow mapping where it was.
    private func replacement(of expect: YAMLNode, caseIndex index: Int, writing expectation: Expectation) -> Edit {
        let bytes = fixture.bytes
        var end = byteOffset(Self.lastLeaf(expect).characterRange.upperBound)
        if expect.style == .blockCollection, let first = expect.entries?.first {
            // From the first key to the last value's last non-blank character: comments after it stay.
            let start = byteOffset(first.keyCharacterRange.lowerBound)
            while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
            let indent = Self.spaces(first.keyLocation.column - 1)
            let lines = expectation.entries.map { Array("\($0.key): \($0.value)".utf8) }
            return Edit(caseIndex: index, range: start..<end, text: Array(lines.joined(separator: lineBreak + indent)))
        }
        // Replace the value from its first character (anchor or tag included) to its last non-blank one.
        let start = byteOffset(expect.characterRange.lowerBound)
        while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
        return Edit(caseIndex: index, range: start..<end, text: Array(expectation.description.utf8))
    }

    private static func spaces(_ count: Int) -> [UInt8] { [UInt8](repeating: 0x20, count: max(0, count)) }

    /// The splice that puts `mark` at the front of a `why:` in its own style, and the `why:` as it then reads: inside
    /// the quotes of a quoted one, as a first line of a block scalar (a literal one then starts with the mark on a line
    /// of its own), and a plain one becomes double-quoted.
    private func whyEdit(_ entry: YAMLNode.Entry, caseIndex index: Int, mark: String) -> Result<
        (Edit, String), RecordFileError
    > {
        let bytes = fixture.bytes
        let value = entry.value
        let id = fixture.cases[index].record.id
        guard let old = value.scalar else {
            return .failure(
                RecordFileError(
                    .typeMismatch, at: value.location,
                    "found \(value.kindDescription) for the why: of student \(id); expected a text, which --record marks for review"
                ))
        }
        let start = byteOffset(value.characterRange.lowerBound)
        var end = byteOffset(value.characterRange.upperBound)
        switch value.style {
        case .quoted:
            guard let quote = bytes[start..<end].firstIndex(where: { $0 == 0x22 || $0 == 0x27 }) else { break }
            // Inside double quotes a backslash or quote is escaped; inside single quotes a quote is doubled.
            let double = bytes[quote] == 0x22
            var escaped = ""
            for character in mark {
                if double ? character == "\\" || character == "\"" : character == "'" {
                    escaped.append(double ? "\\" : "'")
                }
                escaped.append(character)
            }
            return .success(
                (Edit(caseIndex: index, range: quote + 1..<quote + 1, text: Array(escaped.utf8)), mark + old))
        case .blockScalar:
            guard let header = bytes[start..<end].firstIndex(where: Self.isLineBreak) else { break }
            let literal = bytes[start..<header].contains(UInt8(ascii: "|"))
            var lineStart = header + (bytes[header] == 0x0D && header + 1 < end && bytes[header + 1] == 0x0A ? 2 : 1)
            let contentStart = lineStart
            // The content's indentation is its first non-blank line's.
            var indent = entry.keyLocation.column + 1
            while lineStart < end {
                var column = lineStart
                while column < end, bytes[column] == 0x20 { column += 1 }
                if column < end, !Self.isLineBreak(bytes[column]) {
                    indent = column - lineStart
                    break
                }
                while column < end, !Self.isLineBreak(bytes[column]) { column += 1 }
                lineStart = column + 1
            }
            var line = mark
            while line.last == " " { line.removeLast() }
            let text = Self.spaces(indent) + Array(line.utf8) + lineBreak
            // A literal scalar keeps the mark's line break; a folded one folds it into a space.
            return .success(
                (
                    Edit(caseIndex: index, range: contentStart..<contentStart, text: text),
                    literal ? line + "\n" + old : mark + old
                )
            )
        case .plain:
            while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
            let marked = mark + (value.isNull ? ReviewMark.noReason : old)  // the loader reads a null why: as none
            let written = Array(Expectation.flowScalar(marked).utf8)
            if end > start { return .success((Edit(caseIndex: index, range: start..<end, text: written), marked)) }
            // An empty value: right after the key's colon.
            var colon = byteOffset(entry.keyCharacterRange.upperBound)
            while colon < bytes.count, bytes[colon] == 0x20 || bytes[colon] == 0x09 { colon += 1 }
            guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":") else { break }
            return .success((Edit(caseIndex: index, range: colon + 1..<colon + 1, text: [0x20] + written), marked))
        case .blockCollection, .flowCollection:
            break
        }
        return .failure(
            RecordFileError(
                .cannotRewrite, at: value.location,
                "found the why: of student \(id) written in a form --record cannot mark for review; expected a quoted, plain or block text (put \(Expectation.flowScalar(mark)) at its front by hand)"
            ))
    }

    /// The splice that adds `added` entries to a student after its last entry: in a flow mapping after the last value,
    /// in a block mapping on lines of their own at the keys' indentation, after a block scalar's trailing line breaks
    /// (they belong to the scalar). A new `expect:` of a block student is a block mapping when the file writes its
    /// `expect:` values so.
    private func insertion(of added: [(key: String, value: Value)], caseIndex index: Int) -> Result<
        Edit, RecordFileError
    > {
        let fixtureCase = fixture.cases[index]
        let student = fixtureCase.node
        let bytes = fixture.bytes
        guard let entries = student.entries, let first = entries.first, let last = entries.last else {
            return .failure(
                RecordFileError(
                    .typeMismatch, at: student.location,
                    "found \(student.kindDescription) for a student; expected a mapping"))
        }
        let leaf = Self.lastLeaf(last.value)
        let end = byteOffset(leaf.characterRange.upperBound)
        if student.style == .flowCollection {
            // Right after the last value: a trailing comma or comment before `}` stays where it is.
            let text = added.map { ", \($0.key): " + Self.flowText($0.value) }.joined()
            return .success(Edit(caseIndex: index, range: end..<end, text: Array(text.utf8)))
        }
        let indent = Self.spaces(first.keyLocation.column - 1)
        // The entries' lines, the first without indentation, joined by line breaks and the keys' indentation.
        var lines: [[UInt8]] = []
        for (key, value) in added {
            if case .expectation(let expectation) = value, let nested = blockExpectIndent {
                lines.append(Array("\(key):".utf8))
                lines += expectation.entries.map { Self.spaces(nested) + Array("\($0.key): \($0.value)".utf8) }
            } else {
                lines.append(Array("\(key): \(Self.flowText(value))".utf8))
            }
        }
        let written = Array(lines.joined(separator: lineBreak + indent))
        if end > 0, Self.isLineBreak(bytes[end - 1]) {
            // A block scalar ends after its trailing line breaks: the new lines go after them, so the scalar keeps them.
            return .success(Edit(caseIndex: index, range: end..<end, text: indent + written + lineBreak))
        }
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] == 0x20 || bytes[lineEnd] == 0x09 { lineEnd += 1 }
        if lineEnd < bytes.count, bytes[lineEnd] == UInt8(ascii: "#") {
            while lineEnd < bytes.count, !Self.isLineBreak(bytes[lineEnd]) { lineEnd += 1 }
        }
        if lineEnd < bytes.count, !Self.isLineBreak(bytes[lineEnd]) {
            let keys = added.map { "\($0.key):" }.joined(separator: " and ")
            let byHand = added.map { "\($0.key): \(Self.flowText($0.value))" }.joined(separator: ", ")
            return .failure(
                RecordFileError(
                    .cannotRewrite, at: leaf.location,
                    "found more text after the last value of student \(fixtureCase.record.id) on its line; expected the end of the line, so that \(keys) can follow (write \(byHand) by hand)"
                ))
        }
        if leaf.style == .blockScalar, lineEnd == bytes.count {
            // A block scalar that ends the file without a line break: a line after it would give it one, so the
            // new entries go before the last key instead.
            let key = byteOffset(last.keyCharacterRange.lowerBound)
            return .success(Edit(caseIndex: index, range: key..<key, text: written + lineBreak + indent))
        }
        // At the end of the last value's line, after any comment on it.
        return .success(Edit(caseIndex: index, range: lineEnd..<lineEnd, text: lineBreak + indent + written))
    }

    /// A value as YAML flow text.
    private static func flowText(_ value: Value) -> String {
        switch value {
        case .expectation(let expectation): return expectation.description
        case .text(let text): return Expectation.flowScalar(text)
        }
    }

    /// The file's text with `edits` applied (at most one per student; they do not overlap).
    func apply(_ edits: [Edit]) -> [UInt8] {
        var bytes = fixture.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: edit.text)
        }
        return bytes
    }

    /// True when `text` reads as the same fixture with the expectations `expected` and the `why:` texts `whys` (one
    /// per case, in order): the same header, the same students with the same fields, the same rejected records.
    func readsAsBefore(_ text: [UInt8], expected: [Expectation?], whys: [String?], rules: RuleSet) -> Bool {
        guard let again = try? FixtureLoader.load(bytes: text, file: fixture.path, rules: rules) else { return false }
        guard Self.same(Self.withoutExpectations(fixture.root), Self.withoutExpectations(again.root)) else {
            return false
        }
        guard again.cases.count == fixture.cases.count,
            // Messages may name lines, which an insertion moves; the students and fields may not change.
            again.rejected.map(\.studentID) == fixture.rejected.map(\.studentID),
            again.rejected.map(\.field) == fixture.rejected.map(\.field)
        else { return false }
        for (index, fixtureCase) in again.cases.enumerated() {
            let before = fixture.cases[index]
            guard fixtureCase.record.id == before.record.id, fixtureCase.why == whys[index],
                fixtureCase.expectation == expected[index]
            else { return false }
        }
        return true
    }

    /// The document with each student's `expect:` and `why:` entries left out.
    private static func withoutExpectations(_ root: YAMLNode) -> YAMLNode {
        func strip(_ students: YAMLNode) -> YAMLNode {
            guard let items = students.items else { return students }
            var copy = students
            copy.content = .sequence(
                items.map { student in
                    guard let entries = student.entries else { return student }
                    var stripped = student
                    stripped.content = .mapping(entries.filter { $0.key != "expect" && $0.key != "why" })
                    return stripped
                })
            return copy
        }
        if root.items != nil { return strip(root) }
        guard let entries = root.entries else { return root }
        var copy = root
        copy.content = .mapping(
            entries.map { entry in
                guard entry.key == "students" else { return entry }
                var replaced = entry
                replaced.value = strip(entry.value)
                return replaced
            })
        return copy
    }

    /// True when two nodes hold the same content, wherever they are written and in whatever style.
    private static func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        switch (a.content, b.content) {
        case (.scalar(let x, let xQuoted), .scalar(let y, let yQuoted)):
            return x == y && xQuoted == yQuoted
        case (.sequence(let x), .sequence(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && same($0.value, $1.value) }
        default:
            return false
        }
    }
}
