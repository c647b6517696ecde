internal import RiskScreenRules

extension EvalFrame {
    /// A frame over a stored record; the record's storage must outlive the frame's use.
    package init(
        storage: RecordStorage, asOf: Int32, asOfAcademicYear: Int, windowActive: UnsafePointer<Bool>,
        firedBits: UnsafeMutablePointer<UInt64>
    ) {
        self.init(
            values: storage.values, eventDays: storage.eventDays, eventStart: storage.eventStart,
            scaleEntries: storage.scaleEntries, scaleStart: storage.scaleStart, scaleScores: storage.scaleScores,
            scaleItems: storage.scaleItems, asOf: asOf, asOfAcademicYear: asOfAcademicYear, windowActive: windowActive,
            firedBits: firedBits)
    }
}
