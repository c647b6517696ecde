internal import RiskScreenSupport

extension Diagnostic {
    /// What kind of problem a diagnostic reports, as a stable name a program can test instead of the English message.
    ///
    /// A struct over a string rather than an enum, so that codes can be added without breaking a client's `switch`:
    /// compare with the constants (`diagnostic.code == .unknownName`). The raw value of a code never changes once
    /// released; the message beside it may be reworded.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, such as `unknownName`.
        public let rawValue: String

        /// Wraps a code's name; the constants below are the codes RiskScreen gives.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The code's name.
        public var description: String { rawValue }

        /// No rule file where one was expected: nothing at the path (of the rule set or of `extends:`), a file that is
        /// not `.yaml` or `.yml`, or a directory without rule files.
        public static let fileNotFound = Code(rawValue: "fileNotFound")
        /// A rule file that exists but could not be read: the system's error, or a directory where a file belongs.
        public static let unreadableFile = Code(rawValue: "unreadableFile")
        /// A file that is not YAML RiskScreen reads: a syntax error, a duplicate key, an alias, a second document.
        public static let yamlSyntax = Code(rawValue: "yamlSyntax")
        /// A condition (or other expression) whose text does not parse: a missing operand, an unknown character.
        public static let expressionSyntax = Code(rawValue: "expressionSyntax")
        /// A key, section or override section that is not one of those allowed where it is written.
        public static let unknownKey = Code(rawValue: "unknownKey")
        /// Something required is missing: a key (`id`, `when`, `points`, `from`, `dimension` …), a section (`levels`),
        /// or the only content of an entry (an enumeration's values, a text's language).
        public static let missingKey = Code(rawValue: "missingKey")
        /// A value of the wrong kind: a list where a mapping belongs, text where a number belongs, or, in a condition,
        /// operands of types that do not go together (a date where a condition that is true or false belongs).
        public static let typeMismatch = Code(rawValue: "typeMismatch")
        /// A value of the right kind that is not allowed: a name that is not an identifier, text with control
        /// characters, a date not written as `MM-DD`, negative points, a spelling with spaces around it.
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// A number outside its bounds: days beyond 0 to 100000, a factor beyond 0 to 100, an item a scale does not
        /// have, a maximum below its minimum.
        public static let outOfRange = Code(rawValue: "outOfRange")
        /// A name that refers to nothing declared: an indicator, window, level, role, score, dimension, event kind,
        /// scale, field, value, case fact, function or id no layer defines.
        public static let unknownName = Code(rawValue: "unknownName")
        /// A name declared twice: an id twice in a section or again in a later layer (outside `overrides:`), a value,
        /// spelling, alias or table row twice, or one name for two things (a field that is also a parameter).
        public static let duplicateID = Code(rawValue: "duplicateID")
        /// A name RiskScreen keeps for itself: an entry called `withheld`, a field named like a built-in.
        public static let reservedName = Code(rawValue: "reservedName")
        /// Keys that exclude each other written together: `within` and `by`, `ranges` and `from`/`to`,
        /// `protective` and `red_flag`, two of `sum`, `mean`, `count`.
        public static let conflictingKeys = Code(rawValue: "conflictingKeys")
        /// A key, function or name where it does not apply: `values` on a field that is not an enumeration,
        /// `score()` in an indicator, `group` on a protective factor, `extends` in rules read from memory.
        public static let misplaced = Code(rawValue: "misplaced")
        /// Values that must rise and do not: level thresholds, bands, overdue days, a range that ends before it starts.
        public static let outOfOrder = Code(rawValue: "outOfOrder")
        /// A cycle: rule sets that extend each other, indicators whose conditions read each other.
        public static let cycle = Code(rawValue: "cycle")
        /// More than RiskScreen accepts: layers of `extends`, combinations of a `combine:` table, cohort rules with
        /// `when_fired`, a condition nested too deep, a rule file too large.
        public static let limitExceeded = Code(rawValue: "limitExceeded")
        /// A level or table row no student can reach (an error for a level, a warning for a row).
        public static let unreachable = Code(rawValue: "unreachable")
        /// A warning: a condition that can never hold, so its indicator, escalation or cap never changes anything.
        public static let neverHolds = Code(rawValue: "neverHolds")
        /// A warning: an indicator that gives no points and that no rule names, so it never changes an outcome.
        public static let unusedDefinition = Code(rawValue: "unusedDefinition")
        /// Sensitivity that does not fit: a sensitive scale no role may see, a sensitive field read where every
        /// role would see the result.
        public static let sensitivity = Code(rawValue: "sensitivity")
        /// A date field whose `scheduled:` does not fit its use: a plan as the enrolment date, a fact as a due date.
        public static let scheduling = Code(rawValue: "scheduling")
        /// A fault in RiskScreen itself (compiled code that fails its check): please report it.
        public static let `internal` = Code(rawValue: "internal")
    }
}

extension BoundedFileReader.Failure {
    /// The code of a rule file that could not be read for this reason.
    var code: Diagnostic.Code {
        switch self {
        case .unreadable, .directory: .unreadableFile
        case .tooLarge: .limitExceeded
        }
    }
}
