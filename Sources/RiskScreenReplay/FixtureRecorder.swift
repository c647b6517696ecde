internal import RiskScreenRecords
internal import RiskScreenRules
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Writes new `expect:` values into a fixture file's text, splicing at the places libyaml reported for each node,
/// and leaves every other byte (comments, blank lines, block scalars, anchors, tags, flow students) as it was.
///
/// A student whose `expect:` exists has that value replaced, up to the end of its last scalar or bracket (so a
/// comment after it stays). A student without one gets `expect:` after its last entry: in a flow mapping after
/// the last value, in a block mapping on a line of its own at the keys' indentation, after a block scalar's
/// trailing line breaks (they belong to the scalar). The result is read again and compared with the original;
/// a student whose rewrite would read differently is refused, not written.
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

    /// The splice that writes `expectation` as the expectation of the fixture's case at `index`.
    func edit(caseIndex index: Int, writing expectation: Expectation) -> Result<Edit, RecordFileError> {
        let fixtureCase = fixture.cases[index]
        let student = fixtureCase.node
        let bytes = fixture.bytes
        let written = Array(expectation.description.utf8)
        guard let entries = student.entries, let first = entries.first, let last = entries.last else {
            return .failure(
                RecordFileError(
                    at: student.location, "found \(student.kindDescription) for a student; expected a mapping"))
        }
        if let expect = entries.first(where: { $0.key == "expect" })?.value {
            // Replace the value from its first character (anchor or tag included) to its last non-blank one.
            let start = byteOffset(expect.characterRange.lowerBound)
            var end = byteOffset(Self.lastLeaf(expect).characterRange.upperBound)
            while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
            return .success(Edit(caseIndex: index, range: start..<end, text: written))
        }
        let leaf = Self.lastLeaf(last.value)
        let end = byteOffset(leaf.characterRange.upperBound)
        if student.style == .flowCollection {
            // Right after the last value: a trailing comma or comment before `}` stays where it is.
            return .success(Edit(caseIndex: index, range: end..<end, text: Array(", expect: ".utf8) + written))
        }
        let indent = [UInt8](repeating: 0x20, count: max(0, first.keyLocation.column - 1))
        let line = indent + Array("expect: ".utf8) + written
        if end > 0, Self.isLineBreak(bytes[end - 1]) {
            // A block scalar ends after its trailing line breaks: the new line goes after them, so the scalar keeps them.
            return .success(Edit(caseIndex: index, range: end..<end, text: line + lineBreak))
        }
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] == 0x20 || bytes[lineEnd] == 0x09 { lineEnd += 1 }
        if lineEnd < bytes.count, bytes[lineEnd] == UInt8(ascii: "#") {
            while lineEnd < bytes.count, !Self.isLineBreak(bytes[lineEnd]) { lineEnd += 1 }
        }
        if lineEnd < bytes.count, !Self.isLineBreak(bytes[lineEnd]) {
            return .failure(
                RecordFileError(
                    at: leaf.location,
                    "found more text after the last value of student \(fixtureCase.record.id) on its line; expected the end of the line, so that expect: can follow (write expect: \(expectation.description) by hand)"
                ))
        }
        if leaf.style == .blockScalar, lineEnd == bytes.count {
            // A block scalar that ends the file without a line break: a line after it would give it one, so the
            // new entry goes before the last key instead.
            let key = byteOffset(last.keyCharacterRange.lowerBound)
            let entry = Array("expect: ".utf8) + written + lineBreak + indent
            return .success(Edit(caseIndex: index, range: key..<key, text: entry))
        }
        // At the end of the last value's line, after any comment on it.
        return .success(Edit(caseIndex: index, range: lineEnd..<lineEnd, text: lineBreak + line))
    }

    /// The file's text with `edits` applied (at most one per student; they do not overlap).
    func apply(_ edits: [Edit]) -> [UInt8] {
        var bytes = fixture.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: edit.text)
        }
        return bytes
    }

    /// True when `text` reads as the same fixture with the expectations `expected` (one per case, in order):
    /// the same header, the same students with the same fields, the same rejected records.
    func readsAsBefore(_ text: [UInt8], expected: [Expectation?], rules: RuleSet) -> Bool {
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
            guard fixtureCase.record.id == before.record.id, fixtureCase.why == before.why,
                fixtureCase.expectation == expected[index]
            else { return false }
        }
        return true
    }

    /// The document with each student's `expect:` entry left out.
    private static func withoutExpectations(_ root: YAMLNode) -> YAMLNode {
        func strip(_ students: YAMLNode) -> YAMLNode {
            guard let items = students.items else { return students }
            var copy = students
            copy.content = .sequence(
                items.map { student in
                    guard let entries = student.entries else { return student }
                    var stripped = student
                    stripped.content = .mapping(entries.filter { $0.key != "expect" })
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
