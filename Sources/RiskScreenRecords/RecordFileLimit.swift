package import RiskScreenSupport

extension BoundedFileReader.Limit {
    /// Record files (JSON Lines, CSV tables): exported by systems, possibly large. Until scoring streams, the whole
    /// input is held in memory.
    package static let recordFile = BoundedFileReader.Limit(
        regularFile: 4 << 30, stream: 64 << 20, what: "a record file")
}
