internal import RiskScreenRecords
internal import RiskScreenRules

// In the scoring stage, beside the loop that builds a frame per student: here it is inlined, and the frame takes the
// storage's pointers without retaining the storage (a call into the records' module retained it per student).
extension EvalFrame {
    /// A frame over a stored record; the record's storage must outlive the frame's use.
    init(
        storage: RecordStorage, asOf: Int32, asOfAcademicYear: Int, windowActive: UnsafePointer<Bool>,
        firedBits: UnsafeMutablePointer<UInt64>, points: UnsafePointer<Double>? = nil
    ) {
        self.init(
            values: storage.values, eventDays: storage.eventDays, eventStart: storage.eventStart,
            scaleEntries: storage.scaleEntries, scaleStart: storage.scaleStart, scaleScores: storage.scaleScores,
            scaleItems: storage.scaleItems, asOf: asOf, asOfAcademicYear: asOfAcademicYear, windowActive: windowActive,
            firedBits: firedBits, points: points)
    }
}
