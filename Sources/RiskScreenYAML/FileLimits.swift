package import RiskScreenSupport

extension BoundedFileReader.Limit {
    /// Rule files, layers and fixtures' rules: written by people, small.
    package static let ruleFile = BoundedFileReader.Limit(
        regularFile: YAMLLimits.ruleFile.maxInputBytes, stream: YAMLLimits.ruleFile.maxInputBytes, what: "a rule file")
    /// YAML record files and fixtures: as large as the YAML parser takes.
    package static let yamlRecordFile = BoundedFileReader.Limit(
        regularFile: YAMLLimits.recordFile.maxInputBytes, stream: min(64 << 20, YAMLLimits.recordFile.maxInputBytes),
        what: "a YAML record file")
}
