/// One student's record, checked against a rule set's schema and stored by slot.
///
/// Numeric, boolean, enumeration and date fields are numbers (an enumeration value is its index, a
/// date its day number); a missing value is NaN. Events are sorted day numbers per kind, scale
/// administrations sorted by day per scale.
public struct StudentRecord: Sendable {
    /// The student's id.
    public let id: String
    /// Where the record was read from, if from a file.
    public let location: SourceLocation?
    var values: [Double]
    var texts: [String?]
    var events: [[Int32]]
    var scales: [[ScaleResult]]

    init(
        id: String, location: SourceLocation?, values: [Double], texts: [String?], events: [[Int32]],
        scales: [[ScaleResult]]
    ) {
        self.id = id
        self.location = location
        self.values = values
        self.texts = texts
        self.events = events
        self.scales = scales
    }

    /// The text of a text field, by the schema's field.
    public func text(_ field: Schema.Field) -> String? {
        guard case .text = field.type, field.slot < texts.count else { return nil }
        return texts[field.slot]
    }

    /// How many events of each kind the record holds.
    public func eventCount(kindIndex: Int) -> Int { kindIndex < events.count ? events[kindIndex].count : 0 }
}

/// One administration of a scale: its day, named scores, item answers (if given) and class.
struct ScaleResult: Sendable {
    var day: Int32
    var scores: [Double]
    var items: [Double]
    var classIndex: Int32
}
