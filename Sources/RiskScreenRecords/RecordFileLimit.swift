package import RiskScreenSupport

extension BoundedFileReader.Limit {
    /// Record files (JSON Lines, CSV tables) read whole: exported by systems, possibly large, and held in memory
    /// while they are read. A JSON Lines file read in chunks (``JSONLinesChunkReader``, as `score` streams it) has no
    /// such limit: it holds a chunk at a time.
    package static let recordFile = BoundedFileReader.Limit(
        regularFile: 4 << 30, stream: 64 << 20, what: "a record file")
}
