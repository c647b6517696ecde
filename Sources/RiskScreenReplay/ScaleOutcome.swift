public import RiskScreenRecords
public import RiskScreenRules

/// A scale's newest result on or before a fixture's as-of date, as a fixture's `expect: scales:` compares it: its
/// named scores and class (results of one scale on one day are combined when the record is read).
public struct ScaleOutcome: Sendable {
    /// The result's day.
    public var date: CivilDate
    /// Its scores by name, in the scale's order.
    public var scores: [(name: String, value: Double)]
    /// Its class, or nil when the scale has no classes (or the result has none).
    public var className: String?

    /// The newest result of `scale` in `record` on or before `asOf`; nil when there is none.
    public init?(of record: StudentRecord, scale: ScaleDefinition, asOf: CivilDate) {
        let asOfDay = Int32(asOf.dayNumber)
        guard let entry = record.scaleEntries(scaleIndex: scale.index).last(where: { $0.day <= asOfDay }) else {
            return nil
        }
        date = CivilDate(dayNumber: Int(entry.day))
        let scoreValues = record.storage.scaleScores + Int(entry.scoresOffset)
        scores = scale.scores.indices.map { (scale.scores[$0].name, scoreValues[$0]) }
        className = entry.classIndex >= 0 ? scale.classNames[Int(entry.classIndex)] : nil
    }

    /// The value of the score called `name`, if the scale has one.
    public func score(_ name: String) -> Double? { scores.first { $0.name == name }?.value }

}
