/// Bounds that keep hostile YAML from exhausting time or memory.
package struct YAMLLimits: Sendable {
    /// The largest input accepted, in bytes.
    package var maxInputBytes: Int
    /// The deepest nesting of collections accepted.
    package var maxDepth: Int
    /// The longest scalar accepted, in bytes.
    package var maxScalarBytes: Int
    /// The most nodes one document may have.
    package var maxNodes: Int

    /// Creates limits.
    package init(maxInputBytes: Int, maxDepth: Int, maxScalarBytes: Int, maxNodes: Int) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
        self.maxScalarBytes = maxScalarBytes
        self.maxNodes = maxNodes
    }

    /// For rule files: written by people, small.
    package static let ruleFile = YAMLLimits(
        maxInputBytes: 8 << 20, maxDepth: 64, maxScalarBytes: 64 << 10, maxNodes: 1_000_000)
    /// For record files: exported by systems, possibly large, never deep.
    package static let recordFile = YAMLLimits(
        maxInputBytes: 1 << 30, maxDepth: 64, maxScalarBytes: 1 << 20, maxNodes: 100_000_000)
}
