public import RiskScreenSupport

/// The shape of a student record: typed fields, kinds of dated events and scale instruments.
///
/// Every name is resolved to a slot when the rules load, so scoring reads arrays by index.
public struct Schema: Sendable {
    /// A field's type.
    /// Frozen: a closed set (the types a rule file may declare); a new case comes only with a new major version of the library.
    public enum FieldType: Sendable, Hashable, CustomStringConvertible {
        /// A whole number.
        case integer
        /// A number.
        case number
        /// `true` or `false`.
        case boolean
        /// Free text: shown and grouped by, never compared in conditions.
        case text
        /// One of a fixed list of values, stored as the value's index. An ordered enumeration (a rating, declared
        /// `ordered: true`) ranks its values as listed, lowest first: `<`, `>=`, `max` and `min` read that order.
        case enumeration([String], ordered: Bool = false)
        /// A `YYYY-MM-DD` date.
        case date

        /// True for an enumeration, ordered or not.
        public var isEnumeration: Bool {
            if case .enumeration = self { return true }
            return false
        }

        /// The type as a rule file writes it.
        public var description: String {
            switch self {
            case .integer: return "integer"
            case .number: return "number"
            case .boolean: return "boolean"
            case .text: return "text"
            case .enumeration(let values, let ordered):
                return (ordered ? "ordered enumeration of " : "enumeration of ") + values.joined(separator: ", ")
            case .date: return "date"
            }
        }
    }

    /// One typed field of a record.
    public struct Field: Sendable {
        /// The field's name in records and conditions.
        public var name: String
        /// Its type.
        public var type: FieldType
        /// Its slot in `StudentRecord`: numeric fields in the value array, text fields in the text array.
        package var slot: Int
        /// A record without this field is rejected.
        public var required: Bool
        /// Shown only to the roles allowed to see sensitive facts.
        public var sensitive: Bool
        /// The smallest value accepted (integer and number fields).
        public var minimum: Double?
        /// The largest value accepted (integer and number fields).
        public var maximum: Double?
        /// Chinese and English labels.
        public var label: Label
        /// Where it was declared.
        public var location: SourceLocation
        /// For a date field: the date is a plan (a next follow-up, a planned return, a review date), read as given
        /// even when it is after the as-of date. Any other date is a fact, not yet known until its day: after the
        /// as-of date it reads as missing in conditions, evidence, `days_since` and `study_year()`.
        public var scheduled: Bool = false
        /// Other names a CSV header may give the field's column (`aliases: [姓名]`), as a university's export writes
        /// it; each unique among the schema's names and aliases.
        public var aliases: [String] = []
    }

    /// A kind of dated event, such as a night absence or a counsellor contact.
    public struct EventKind: Sendable {
        /// The kind's name in records and conditions.
        public var name: String
        /// Its index in `StudentRecord`'s event lists.
        package var index: Int
        /// Shown only to the roles allowed to see sensitive facts.
        public var sensitive: Bool
        /// Chinese and English labels.
        public var label: Label
        /// Where it was declared.
        public var location: SourceLocation
    }

    /// Fields, in declaration order.
    public internal(set) var fields: [Field] = []
    /// Event kinds, in declaration order.
    public internal(set) var eventKinds: [EventKind] = []
    /// Scale instruments, in declaration order.
    public internal(set) var scales: [ScaleDefinition] = []
    /// Number of numeric slots (every field that is not text).
    package internal(set) var valueSlotCount = 0
    /// Number of text slots.
    package internal(set) var textSlotCount = 0
    /// The date field that holds the enrolment date, for `days_since` and `study_year()`.
    public internal(set) var enrolmentField: Int?
    /// The case facts records carry (`schema: case:`): the centre's decisions, read beside the screening.
    public internal(set) var caseFacts = CaseFacts()
    /// Other names a CSV header may give the student id column besides `id` and `student_id` (`schema: id: {aliases:
    /// [学号]}`); the events and scales tables take them for `student_id` too.
    public internal(set) var idAliases: [String] = []
    /// How a text cell (YAML, CSV) may write a true boolean, compared without regard to the case of Latin letters
    /// (`TRUE` and `True` are `true`); JSON takes only a bare `true`.
    public internal(set) var trueSpellings = Schema.defaultTrueSpellings
    /// How a text cell (YAML, CSV) may write a false boolean, compared as ``trueSpellings`` are; JSON takes only a
    /// bare `false`.
    public internal(set) var falseSpellings = Schema.defaultFalseSpellings

    /// The spellings of true a rule set gets unless its schema declares `booleans:`: `true` (any case), `是` and `1`.
    public static let defaultTrueSpellings = ["true", "是", "1"]
    /// The spellings of false a rule set gets unless its schema declares `booleans:`: `false` (any case), `否`, `0`.
    public static let defaultFalseSpellings = ["false", "否", "0"]

    /// The field with this name.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
    /// The event kind with this name.
    public func eventKind(named name: String) -> EventKind? { eventKinds.first { $0.name == name } }
    /// The scale with this name.
    public func scale(named name: String) -> ScaleDefinition? { scales.first { $0.name == name } }
}

/// A bilingual label: Chinese first, English for reports read abroad.
public struct Label: Sendable, Hashable, CustomStringConvertible {
    /// The Chinese label.
    public var zh: String
    /// The English label.
    public var en: String

    /// Creates a label.
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// `中文 (English)`, or whichever is present.
    public var description: String {
        if zh.isEmpty { return en }
        if en.isEmpty || en == zh { return zh }
        return "\(zh) (\(en))"
    }
}
