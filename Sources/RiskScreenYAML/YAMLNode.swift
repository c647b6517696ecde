package import RiskScreenSupport

/// A node of a YAML document with the place it was written, as the rule loader and record reader see it.
package struct YAMLNode: Sendable {
    /// What a node holds.
    package enum Content: Sendable {
        /// A scalar's text; `quoted` is true for single-, double-quoted and block scalars.
        case scalar(String, quoted: Bool)
        /// A sequence of nodes.
        case sequence([YAMLNode])
        /// A mapping, keys in the order written (duplicates are rejected by the parser).
        case mapping([Entry])
    }

    /// One key–value pair of a mapping.
    package struct Entry: Sendable {
        /// The key, always a scalar in RiskScreen files.
        package var key: String
        /// Where the key was written.
        package var keyLocation: SourceLocation
        /// The value.
        package var value: YAMLNode
        /// The characters of the key, anchor and tag included, counted as libyaml counts them (empty when not read from YAML text).
        package var keyCharacterRange: Range<Int> = 0..<0

        /// A key–value pair; `keyCharacterRange` is empty when the pair was not read from YAML text.
        package init(key: String, keyLocation: SourceLocation, value: YAMLNode, keyCharacterRange: Range<Int> = 0..<0) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
            self.keyCharacterRange = keyCharacterRange
        }
    }

    /// How a node was written, so that a tool rewriting part of a file can splice text that still parses.
    package enum Style: Sendable, Equatable {
        /// A plain scalar, or a node not read from YAML text.
        case plain
        /// A single- or double-quoted scalar.
        case quoted
        /// A literal (`|`) or folded (`>`) block scalar; its character range runs past its trailing line breaks.
        case blockScalar
        /// A block mapping or sequence; its character range runs to the next token, past trailing comments.
        case blockCollection
        /// A flow mapping or sequence, `{…}` or `[…]`; its character range ends after the closing bracket.
        case flowCollection
    }

    /// The node's content.
    package var content: Content
    /// Where the node starts.
    package var location: SourceLocation
    /// The characters of the source the node was read from, counted as libyaml counts them (empty when not read from YAML text).
    package var characterRange: Range<Int>
    /// How the node was written.
    package var style: Style

    /// Creates a node.
    package init(
        _ content: Content, at location: SourceLocation, characterRange: Range<Int> = 0..<0, style: Style = .plain
    ) {
        self.content = content
        self.location = location
        self.characterRange = characterRange
        self.style = style
    }

    /// The scalar text, or nil for collections.
    package var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for a plain `~`, `null` or empty scalar.
    package var isNull: Bool {
        if case .scalar(let text, let quoted) = content { return Self.isNull(scalar: text, quoted: quoted) }
        return false
    }

    /// True when a scalar written so is null: plain (unquoted) and empty, `~` or `null`.
    package static func isNull(scalar text: String, quoted: Bool) -> Bool {
        !quoted && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    /// How a message names a scalar: `nothing` for a null one, else its text in quotes, cut after 40 characters.
    package static func kindDescription(scalar text: String, quoted: Bool) -> String {
        if isNull(scalar: text, quoted: quoted) { return "nothing" }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"\(shown)\""
    }

    /// The entries of a mapping, or nil.
    package var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The items of a sequence, or nil.
    package var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// A short name of the node's kind for messages: "a mapping", "a list", "the text \"x\"".
    package var kindDescription: String {
        switch content {
        case .scalar(let text, let quoted): return Self.kindDescription(scalar: text, quoted: quoted)
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
