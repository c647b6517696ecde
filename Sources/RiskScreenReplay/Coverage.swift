internal import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenScoring

/// How many fixture students exercised each part of a rule set, and which parts none did.
public struct Coverage: Sendable {
    /// What a coverage entry counts.
    /// A set of named values that may grow: compare with `==` or switch with a `default`.
    public struct Kind: Sendable, Hashable, RawRepresentable, CustomStringConvertible, CaseIterable {
        /// The values this version knows, for exhaustive switches inside the package.
        package enum Value: String, Sendable, CaseIterable {
            case indicator
            case escalation
            case cap
            case cohort
            case level
            case window
            case scaleClass = "scale class"
        }

        /// Which one it is.
        package let value: Value

        package init(_ value: Value) { self.value = value }

        /// The value named by its word.
        public init?(rawValue: String) {
            guard let value = Value(rawValue: rawValue) else { return nil }
            self.value = value
        }

        /// Its word.
        public var rawValue: String { value.rawValue }
        /// Its word.
        public var description: String { value.rawValue }

        /// An indicator or protective factor that fired.
        public static let indicator = Kind(.indicator)
        /// An escalation whose condition held.
        public static let escalation = Kind(.escalation)
        /// A cap whose condition held.
        public static let cap = Kind(.cap)
        /// A cohort rule that reached a student.
        public static let cohort = Kind(.cohort)
        /// A level some student ended at.
        public static let level = Kind(.level)
        /// A calendar window in force when an indicator depending on it fired.
        public static let window = Kind(.window)
        /// A scale class some student's result fell in.
        public static let scaleClass = Kind(.scaleClass)

        /// Every value this version knows, in order.
        public static let allCases: [Kind] = Value.allCases.map(Kind.init)
    }

    /// One counted part.
    public struct Entry: Sendable, Hashable {
        /// What it is.
        public let kind: Kind
        /// Its id (`scale.class` for scale classes).
        public let id: String
        /// How many students exercised it.
        public internal(set) var students: Int
    }

    /// Every part of the rule set, in rule-set order, with its count.
    public internal(set) var entries: [Entry]

    /// The parts no student exercised.
    public var unexercised: [Entry] { entries.filter { $0.students == 0 } }

    /// Zero counts for every part of a rule set.
    public init(rules: RuleSet) {
        var entries: [Entry] = []
        entries += rules.indicators.filter(\.isEnabled).map { Entry(kind: .indicator, id: $0.id, students: 0) }
        entries += rules.escalations.map { Entry(kind: .escalation, id: $0.id, students: 0) }
        entries += rules.caps.map { Entry(kind: .cap, id: $0.id, students: 0) }
        entries += rules.cohortRules.map { Entry(kind: .cohort, id: $0.id, students: 0) }
        entries += rules.levels.map { Entry(kind: .level, id: $0.id, students: 0) }
        entries += rules.windows.map { Entry(kind: .window, id: $0.name, students: 0) }
        for scale in rules.schema.scales {
            entries += scale.classNames.map { Entry(kind: .scaleClass, id: "\(scale.name).\($0)", students: 0) }
        }
        self.entries = entries
    }

    /// Counts what one student's assessment exercised.
    mutating func count(_ assessment: Assessment, record: StudentRecord, rules: RuleSet, asOf: CivilDate) {
        var hit: Set<String> = []
        for fired in assessment.fired { hit.insert("indicator:\(fired.id)") }
        for rule in assessment.escalations {
            hit.insert("\(rule.kind == .cohort ? "cohort" : "escalation"):\(rule.id)")
        }
        for rule in assessment.caps { hit.insert("cap:\(rule.id)") }
        hit.insert("level:\(assessment.level)")
        for fired in assessment.fired {
            guard let indicator = rules.indicator(named: fired.id) else { continue }
            for window in indicator.windowDependencies where rules.windows[window].holds(on: asOf) {
                hit.insert("window:\(rules.windows[window].name)")
            }
        }
        for effect in assessment.calendarEffects { hit.insert("window:\(effect.window)") }
        for scale in rules.schema.scales {
            for result in record.scaleEntries(scaleIndex: scale.index)
            where result.day <= asOf.dayNumber && result.classIndex >= 0 {
                hit.insert("scale class:\(scale.name).\(scale.classNames[Int(result.classIndex)])")
            }
        }
        for index in entries.indices where hit.contains("\(entries[index].kind.rawValue):\(entries[index].id)") {
            entries[index].students += 1
        }
    }

    /// Adds another coverage of the same rule set.
    public mutating func merge(_ other: Coverage) {
        for index in entries.indices where index < other.entries.count && other.entries[index].id == entries[index].id {
            entries[index].students += other.entries[index].students
        }
    }
}
