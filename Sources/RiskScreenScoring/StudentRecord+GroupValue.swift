internal import RiskScreenRecords

// In the scoring stage, where the cohort rules read it once per student: called from here it reads the record in
// place (a call into the records' module copied the whole record, retaining each of its parts).
extension StudentRecord {
    /// The non-empty text in a text slot, used to group students (dorm, class); nil when missing.
    func groupValue(slot: Int) -> String? {
        guard slot < texts.count, let text = texts[slot], !text.isEmpty else { return nil }
        return text
    }
}
