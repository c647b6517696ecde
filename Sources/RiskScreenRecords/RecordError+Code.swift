internal import RiskScreenSupport

extension RecordError {
    /// What kind of problem a rejected record or an unreadable record file has, as a stable name a program can test
    /// instead of the English message. Both ``RecordError`` and ``RecordFileError`` carry one.
    ///
    /// A struct over a string rather than an enum, so that codes can be added without breaking a client's `switch`:
    /// compare with the constants (`error.code == .unknownField`). The raw value of a code never changes once
    /// released; the message beside it may be reworded.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, such as `unknownField`.
        public let rawValue: String

        /// Wraps a code's name; the constants below are the codes RiskScreen gives.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The code's name.
        public var description: String { rawValue }

        /// A field, column or key the schema does not know (refused under ``UnknownNames/refuse``).
        public static let unknownField = Code(rawValue: "unknownField")
        /// An event of a kind the schema does not declare.
        public static let unknownEventKind = Code(rawValue: "unknownEventKind")
        /// A scale result of a scale the schema does not declare.
        public static let unknownScale = Code(rawValue: "unknownScale")
        /// A score a scale does not have, given in a scale result.
        public static let unknownScore = Code(rawValue: "unknownScore")
        /// A row of `events.csv` or `scales.csv` for a student that is not in `students.csv`.
        public static let unknownStudent = Code(rawValue: "unknownStudent")
        /// A value of the wrong kind: text where a number belongs, a list where one value belongs, a bare number where
        /// JSON needs a string.
        public static let typeMismatch = Code(rawValue: "typeMismatch")
        /// A value of the right kind that is not allowed: a value not among an enumeration's, a spelling that is no
        /// boolean, a date that is no date, a student id with control characters, a fraction for an integer.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// A number outside its bounds: a field's minimum or maximum, a scale's answers or scores, ±1e9.
        public static let outOfRange = Code(rawValue: "outOfRange")
        /// Something required is missing: the id, a required field, an event's or result's date, a result's items,
        /// scores or class, a case fact's companion, a required column.
        public static let missingRequired = Code(rawValue: "missingRequired")
        /// The same student twice among the records read.
        public static let duplicateID = Code(rawValue: "duplicateID")
        /// The same column or JSON key twice (or two names of one column).
        public static let duplicateKey = Code(rawValue: "duplicateKey")
        /// Values that exclude each other: a scale result with items and scores, or items and class.
        public static let conflictingValues = Code(rawValue: "conflictingValues")
        /// A list or row of the wrong length: a scale's answers, the cells of a CSV row.
        public static let wrongCount = Code(rawValue: "wrongCount")
        /// A file whose syntax is broken: a JSON line that does not parse, a CSV quote that never closes, YAML that
        /// does not parse, a file without the shape its format needs (no header, no `students:` list).
        public static let malformed = Code(rawValue: "malformed")
        /// Bytes that are not text in the file's encoding (UTF-8, or GB18030 when asked for).
        public static let encoding = Code(rawValue: "encoding")
        /// More than RiskScreen reads: a file, a text value, a JSON string or nesting, the events of one kind.
        public static let tooLarge = Code(rawValue: "tooLarge")
        /// Not a problem of its own: the last error of a record that has more errors than it lists (100), saying how
        /// many more were found.
        public static let moreErrors = Code(rawValue: "moreErrors")
        /// The reason is withheld: a refused sensitive value, as a role that does not see sensitive facts reads it
        /// (the code of the reason would tell what the message withholds).
        public static let withheld = Code(rawValue: "withheld")
        /// No record file at the path, or a directory without `students.csv`.
        public static let fileNotFound = Code(rawValue: "fileNotFound")
        /// A file RiskScreen does not read as records: an unknown extension, or a companion CSV table given alone.
        public static let unsupportedFile = Code(rawValue: "unsupportedFile")
        /// A file that exists but could not be read: the system's error, or a directory where a file belongs.
        public static let unreadableFile = Code(rawValue: "unreadableFile")
        /// A replay fixture's `expect:` that the rules cannot give: an unknown level, score, scale, indicator, role or
        /// key, or a value of the wrong kind.
        public static let invalidExpectation = Code(rawValue: "invalidExpectation")
        /// A replay fixture that `replay --record` cannot rewrite without changing how it reads.
        public static let cannotRewrite = Code(rawValue: "cannotRewrite")
    }
}

extension BoundedFileReader.Failure {
    /// The code of a record file that could not be read for this reason.
    package var recordCode: RecordError.Code {
        switch self {
        case .unreadable, .directory: .unreadableFile
        case .tooLarge: .tooLarge
        }
    }
}
