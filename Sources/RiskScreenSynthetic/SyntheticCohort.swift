public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport

/// A synthetic cohort of students for demos and benchmarks: deterministic for a seed, driven by a rule set's schema.
///
/// Each student is drawn on its own from the seed and its position, so student `i` is the same whatever the size of
/// the cohort, and cohorts can be generated in slices. The randomness is SplitMix64 (no clock, no system random).
///
/// **The model.** A share ``keyAttentionRate`` of students belong to an *elevated* group — 001 第四·二是 reports
/// 1,770 students of 15,950 (≈ 11.1 %) on the key-attention list — and every signal has one rate for the baseline
/// group and one for the elevated group (``SignalRate``; the overall rate is their mix). Scale answers follow a
/// latent severity: baseline severity is `0.25·u²`, elevated `0.25 + 0.6·u` (u uniform in 0…1); an item's answer is
/// `min + Binomial(max − min, 0.03 + 0.55·severity)` (UPI's yes/no items `0.04 + 0.6·severity`), and the items
/// that ask about thoughts of death (PHQ-9 item 9, UPI item 25) use `0.001 + 0.06·severity²`.
///
/// Numbers: `failed_courses` is at least 1 for 8 % / 45 % (then 1 + Geometric(½)); `gpa` is uniform in 2.9–4.3 /
/// 2.2–3.6; `programme_years` is 4 (90 %), 5 (8 %) or 3 (2 %); year of study follows ``studyYearShares``.
///
/// Dorms: every ``studentsPerCampus`` students, one after another, share a campus of 7,200 rooms (five a room on
/// average); after the first campus a dorm's name starts with its campus (`2校区3栋412`).
///
/// Case facts (`schema: case:`) come from a random stream of their own, so a student is otherwise the same with or
/// without them: a level a person confirmed in the last 90 days for 30 % of elevated students and 1 % of the others
/// (``confirmedLevelWeights``), by the first role that sees sensitive facts, at an interview or a case conference; a
/// tenth of those cases closed since. Nobody has left or is on leave, and no plan sets a review or follow-up date.
///
/// Fields, event kinds and scales the tables below do not name get generic values (booleans true 2 % / 10 %,
/// events 2 % / 10 %, an enumeration's first value 90 %), so any schema can be generated. The rates are assumptions
/// for realistic-looking demos, not measurements; the README repeats them.
public struct SyntheticCohort: Sendable {
    /// The rate of a signal in the baseline and in the elevated group.
    public struct SignalRate: Sendable, Hashable {
        /// The field or event kind.
        public let name: String
        /// Probability among baseline students (for events: of at least one in the 180 days before the as-of date).
        public let baseline: Double
        /// Probability among elevated students.
        public let elevated: Double
        /// When set, the signal can be true only for students for whom this boolean field is true.
        public let given: String?

        /// The overall probability: ``SyntheticCohort/keyAttentionRate`` of elevated students, the rest baseline.
        public var overall: Double { (1 - keyAttentionRate) * baseline + keyAttentionRate * elevated }

        init(_ name: String, _ baseline: Double, _ elevated: Double, given: String? = nil) {
            self.name = name
            self.baseline = baseline
            self.elevated = elevated
            self.given = given
        }
    }

    /// The share of elevated students: 1,770 of 15,950 on the key-attention list (001 第四·二是).
    public static let keyAttentionRate = 1770.0 / 15950.0

    /// How a confirmed level is drawn, lowest level first, for elevated students (the others: the two lowest only);
    /// levels past the list get the last weight.
    public static let confirmedLevelWeights = [0.2, 0.35, 0.3, 0.1, 0.05]

    /// Boolean fields: probability of true.
    public static let booleanRates: [SignalRate] = [
        // 可感 observable
        SignalRate("internet_addiction_observed", 0.04, 0.20),
        SignalRate("introverted", 0.06, 0.35),
        SignalRate("academic_pressure_observed", 0.05, 0.35),
        SignalRate("interpersonal_tension_observed", 0.04, 0.25),
        SignalRate("adaptation_difficulty_observed", 0.03, 0.20),
        SignalRate("negative_cognition_observed", 0.01, 0.20),
        // 可查 checkable
        SignalRate("academic_warning_issued", 0.03, 0.12),
        SignalRate("serious_sanction", 0.003, 0.02),
        SignalRate("on_internship", 0.08, 0.08),
        // 可知 knowable
        SignalRate("parent_child_conflict", 0.04, 0.25),
        SignalRate("family_care_lacking", 0.03, 0.15),
        SignalRate("exam_or_job_pressure", 0.10, 0.30),
        SignalRate("postgrad_candidate", 0.12, 0.15),
        // history and clinical
        SignalRate("prior_suicide_attempt", 0.001, 0.03),
        SignalRate("family_suicide_history", 0.002, 0.02),
        SignalRate("diagnosed", 0.005, 0.08),
        SignalRate("on_psychiatric_medication", 0.6, 0.6, given: "diagnosed"),
        SignalRate("treatment_refused", 0.15, 0.2, given: "diagnosed"),
        SignalRate("long_serious_illness", 0.01, 0.04),
        // red flags
        SignalRate("self_harm_tendency", 0.0005, 0.02),
        SignalRate("harm_others_tendency", 0.0002, 0.005),
        // 可控 protective
        SignalRate("seeks_help", 0.05, 0.25),
        SignalRate("peer_warning_active", 0.30, 0.40),
        SignalRate("in_treatment_after_referral", 0.5, 0.5, given: "diagnosed"),
        SignalRate("family_school_cooperation", 0.02, 0.20),
        SignalRate("has_three_friends", 0.80, 0.50),
        SignalRate("mentor_assigned", 0.05, 0.30),
        SignalRate("support_systems_in_place", 0.05, 0.25),
        SignalRate("family_harmonious", 0.80, 0.50),
        SignalRate("attends_post_return_counselling", 0.002, 0.01),
        // test-campus and other schemas
        SignalRate("academic_warning", 0.03, 0.12),
        SignalRate("self_harm_risk", 0.0005, 0.02),
    ]

    /// Event kinds: probability of at least one event in the 180 days before the as-of date; a student with events
    /// has 1 + Geometric(½) of them, on days drawn uniformly from those 180. `counsellor_contact` is special: a
    /// diagnosed student is contacted every 7–20 days (004 §四(一)3 asks for every half month, so some are overdue).
    public static let eventRates: [SignalRate] = [
        SignalRate("night_absence", 0.05, 0.25),
        SignalRate("truancy", 0.08, 0.25),
        SignalRate("mood_swing_report", 0.02, 0.30),
        SignalRate("abnormal_behaviour_report", 0.005, 0.12),
        SignalRate("insomnia_report", 0.03, 0.25),
        SignalRate("family_change", 0.02, 0.12),
        SignalRate("romantic_setback", 0.04, 0.15),
        SignalRate("sudden_event", 0.005, 0.03),
        SignalRate("bullying_violence", 0.003, 0.03),
        SignalRate("peer_crisis_exposure", 0.005, 0.02),
        SignalRate("home_visit_failed", 0.005, 0.04),
        SignalRate("psych_leave_return", 0.001, 0.02),
        SignalRate("self_harm_act", 0.0002, 0.01),
        SignalRate("harm_others_act", 0.0001, 0.003),
        SignalRate("counsellor_contact", 0.10, 0.50),
    ]

    /// Scales: probability that a student has an administration in the 180 days before the as-of date (first-year
    /// students always take UPI, the intake screening of 004's September).
    public static let scaleRates: [SignalRate] = [
        SignalRate("upi", 0.50, 0.60),
        SignalRate("phq9", 0.50, 0.70),
        SignalRate("gad7", 0.50, 0.70),
        SignalRate("scl90", 0.25, 0.35),
    ]

    /// Enumeration fields: the probability of each value, in the schema's order, baseline then elevated.
    /// `graduation_status` applies to final-year students; everyone else is `on_track`.
    public static let enumerationRates: [String: (baseline: [Double], elevated: [Double])] = [
        "graduation_status": ([0.85, 0.10, 0.04, 0.01], [0.60, 0.20, 0.12, 0.08]),
        "family_structure": ([0.86, 0.08, 0.04, 0.02], [0.70, 0.15, 0.10, 0.05]),
        "economic_status": ([0.88, 0.10, 0.02], [0.65, 0.25, 0.10]),
        "residence": ([0.93, 0.05, 0.02], [0.85, 0.11, 0.04]),
    ]

    /// Year of study: shares of years 1–5 (5 for medicine's fifth year).
    public static let studyYearShares = [0.26, 0.25, 0.25, 0.22, 0.02]

    /// Items that ask about thoughts of death or self-harm, by scale: they are answered far less often.
    public static let criticalItems: [String: Int] = ["phq9": 9, "upi": 25]

    static let colleges = [
        "文学院", "理学院", "工学院", "医学院", "法学院", "经济管理学院", "外国语学院", "信息工程学院", "艺术学院", "教育学院",
        "马克思主义学院", "体育学院",
    ]
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"]
    static let givenNames = [
        "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "婷", "宇",
    ]

    /// The schema records are generated for.
    public let schema: Schema
    /// The seed.
    public let seed: UInt64
    /// The as-of date events and scales lead up to.
    public let asOf: CivilDate
    /// The day the academic year starts, from the rule set's calendar: enrolment dates and class years follow it.
    private let academicYearStart: (month: Int, day: Int)

    private let booleanTable: [String: SignalRate]
    private let eventTable: [String: SignalRate]
    private let scaleTable: [String: SignalRate]
    /// The first role that sees sensitive facts: who confirms a generated case.
    private let sensitiveRoleIndex: Int?

    /// A generator for a rule set (its schema and the start of its academic year), a seed and an as-of date.
    public init(rules: RuleSet, seed: UInt64, asOf: CivilDate) {
        self.schema = rules.schema
        academicYearStart = rules.academicYearStart
        self.seed = seed
        self.asOf = asOf
        booleanTable = Dictionary(Self.booleanRates.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        eventTable = Dictionary(Self.eventRates.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        scaleTable = Dictionary(Self.scaleRates.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        sensitiveRoleIndex = rules.roles.firstIndex { $0.seesSensitive }
    }

    // MARK: One student

    /// One generated student, in schema terms.
    struct Student {
        enum Value {
            case number(Double)
            case text(String)
        }

        var id: String
        var elevated: Bool
        /// Per schema field; nil is missing.
        var fields: [Value?]
        /// Per event kind: sorted day numbers.
        var events: [[Int32]]
        /// Administrations: scale index, day, item answers.
        var scales: [(scale: Int, day: Int32, items: [Double])]
    }

    /// Students who share a campus's dorms: its 7,200 rooms (30 buildings, 6 floors, 40 rooms a floor) then hold five
    /// students each on average, as a university's four- to six-bed rooms do. Student `index` lives on campus
    /// `index / studentsPerCampus`, so a cohort of a million students (a province's universities, one after another)
    /// has rooms of five, not of 139.
    public static let studentsPerCampus = 36_000

    /// What a dorm's name starts with: nothing on the first campus (the dorms of a cohort of up to 36,000 students are
    /// named as they were before there were campuses), `2校区` on the second, and so on.
    static func campusPrefix(of index: Int) -> String {
        let campus = index / studentsPerCampus
        return campus == 0 ? "" : "\(campus + 1)校区"
    }

    /// The id of student `index`: `S` and seven digits.
    public static func studentID(_ index: Int) -> String {
        let digits = String(index + 1)
        return "S" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    func student(_ index: Int) -> Student {
        var random = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        _ = random.next()
        let elevated = random.unit() < Self.keyAttentionRate
        let asOfDay = Int32(clamping: asOf.dayNumber)
        let academicYear = AcademicYear.of(dayNumber: asOf.dayNumber, start: academicYearStart)
        let studyYear = 1 + random.pick(Self.studyYearShares)
        var programmeYears = 4
        var fields = [Student.Value?](repeating: nil, count: schema.fields.count)
        let college = Self.colleges[Int(random.below(UInt64(Self.colleges.count)))]
        // First pass, in schema order: every field's own draws. A boolean or an enumeration keeps its uniform draw,
        // because its value may depend on another field (`given:`, final year) that the schema declares later.
        var draws = [Double](repeating: 0, count: schema.fields.count)
        let caseFields = Set(schema.caseFacts.fieldIndex.values)
        for (position, field) in schema.fields.enumerated() where !caseFields.contains(position) {
            var value: Student.Value?
            switch field.type {
            case .text:
                switch field.name {
                case "college": value = .text(college)
                case "class_name", "class":
                    value = .text("\(college.prefix(2))\(academicYear - studyYear + 1)级\(1 + random.below(6))班")
                case "dorm":
                    value = .text(
                        Self.campusPrefix(of: index)
                            + "\(1 + random.below(30))栋\(100 * (1 + random.below(6)) + Int(random.below(40)) + 1)")
                case "name":
                    value = .text(
                        Self.surnames[Int(random.below(UInt64(Self.surnames.count)))]
                            + Self.givenNames[Int(random.below(UInt64(Self.givenNames.count)))])
                default: value = .text("\(field.name)-\(random.below(100))")
                }
            case .date:
                if position == schema.enrolmentField || field.name == "enrolled_on" {
                    let year = academicYear - studyYear + 1
                    value = CivilDate(year: year, month: academicYearStart.month, day: academicYearStart.day)
                        .map { .number(Double($0.dayNumber)) }
                } else {
                    value = .number(Double(asOf.dayNumber - Int(random.below(365))))
                }
            case .boolean, .enumeration:
                draws[position] = random.unit()
            case .integer, .number:
                let minimum = field.minimum ?? 0
                let maximum = field.maximum ?? (minimum + 10)
                var number: Double
                switch field.name {
                case "programme_years":
                    number = [4.0, 5.0, 3.0][random.pick([0.9, 0.08, 0.02])]
                    programmeYears = Int(number)
                case "failed_courses":
                    number = random.unit() < (elevated ? 0.45 : 0.08) ? Double(1 + random.geometric(0.5)) : 0
                case "gpa":
                    number = (elevated ? 2.2 : 2.9) + random.unit() * 1.4
                default:
                    number = minimum
                    if field.type == .number { number = minimum + random.unit() * (maximum - minimum) }
                }
                if field.type == .number { number = (number * 100).rounded() / 100 }
                value = .number(min(max(number, minimum), maximum))
            }
            fields[position] = value
        }
        // Second pass: booleans and enumerations from their draws, now that every field they depend on is drawn.
        var booleans: [String: Bool] = [:]
        func holds(_ position: Int, visiting: Set<Int> = []) -> Bool {
            let field = schema.fields[position]
            if let known = booleans[field.name] { return known }
            let rate = booleanTable[field.name] ?? SignalRate(field.name, 0.02, 0.10)
            var value = draws[position] < (elevated ? rate.elevated : rate.baseline)
            if let given = rate.given {
                let condition = schema.fields.firstIndex { $0.name == given && $0.type == .boolean }
                if let condition, !visiting.contains(condition) {
                    value = value && holds(condition, visiting: visiting.union([position]))
                } else {
                    value = false
                }
            }
            booleans[field.name] = value
            return value
        }
        let finalYear = studyYear >= programmeYears
        for (position, field) in schema.fields.enumerated() where !caseFields.contains(position) {
            switch field.type {
            case .boolean:
                fields[position] = .number(holds(position) ? 1 : 0)
            case .enumeration(let names, _):
                var weights: [Double]
                if let rates = Self.enumerationRates[field.name], rates.baseline.count == names.count {
                    weights = elevated ? rates.elevated : rates.baseline
                    if field.name == "graduation_status" && !finalYear {
                        weights = [1] + [Double](repeating: 0, count: names.count - 1)
                    }
                } else {
                    weights = [0.9] + [Double](repeating: 0.1 / Double(max(1, names.count - 1)), count: names.count - 1)
                }
                fields[position] = .number(Double(SplitMix64.pick(weights, uniform: draws[position])))
            default:
                continue
            }
        }
        // Events.
        var events = [[Int32]](repeating: [], count: schema.eventKinds.count)
        for kind in schema.eventKinds {
            var days: [Int32] = []
            if kind.name == "counsellor_contact" && booleans["diagnosed"] == true {
                var day = asOfDay - Int32(random.below(22))
                while day > asOfDay - 180 {
                    days.append(day)
                    day -= Int32(7 + random.below(14))
                }
            } else {
                let rate = eventTable[kind.name] ?? SignalRate(kind.name, 0.02, 0.10)
                if random.unit() < (elevated ? rate.elevated : rate.baseline) {
                    for _ in 0...random.geometric(0.5) { days.append(asOfDay - 1 - Int32(random.below(180))) }
                }
            }
            events[kind.index] = days.sorted()
        }
        // Scales.
        var scales: [(scale: Int, day: Int32, items: [Double])] = []
        let severity = elevated ? 0.25 + 0.6 * random.unit() : 0.25 * pow2(random.unit())
        for scale in schema.scales {
            let rate = scaleTable[scale.name] ?? SignalRate(scale.name, 0.3, 0.4)
            let always = scale.name == "upi" && studyYear == 1
            guard always || random.unit() < (elevated ? rate.elevated : rate.baseline) else { continue }
            let day = asOfDay - 1 - Int32(random.below(180))
            let steps = Int((scale.maximumAnswer - scale.minimumAnswer).rounded())
            let p = steps == 1 ? 0.04 + 0.6 * severity : 0.03 + 0.55 * severity
            let critical = Self.criticalItems[scale.name].map { $0 - 1 }
            var items = [Double](repeating: scale.minimumAnswer, count: scale.itemCount)
            for item in 0..<scale.itemCount {
                let itemP = item == critical ? 0.001 + 0.06 * severity * severity : p
                var answer = 0
                for _ in 0..<max(0, steps) where random.unit() < itemP { answer += 1 }
                items[item] = scale.minimumAnswer + Double(answer)
            }
            scales.append((scale.index, day, items))
        }
        drawCaseFacts(index, elevated: elevated, into: &fields)
        return Student(id: Self.studentID(index), elevated: elevated, fields: fields, events: events, scales: scales)
    }

    /// The case facts of student `index`, from a stream of their own (see the type's documentation).
    private func drawCaseFacts(_ index: Int, elevated: Bool, into fields: inout [Student.Value?]) {
        let facts = schema.caseFacts.fieldIndex
        guard let levelField = facts[.confirmedLevel], let dateField = facts[.confirmedOn],
            case .enumeration(let levels, _) = schema.fields[levelField].type
        else { return }
        var random = SplitMix64(seed: ~seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        guard random.unit() < (elevated ? 0.3 : 0.01) else { return }
        let weights = levels.indices.map { rank in
            elevated
                ? Self.confirmedLevelWeights[min(rank, Self.confirmedLevelWeights.count - 1)] : (rank < 2 ? 1.0 : 0)
        }
        let confirmedOn = asOf.dayNumber - random.below(90)
        fields[levelField] = .number(Double(random.pick(weights)))
        fields[dateField] = .number(Double(confirmedOn))
        if let byField = facts[.confirmedBy], case .enumeration(let roles, _) = schema.fields[byField].type {
            let role = sensitiveRoleIndex ?? 0
            if role < roles.count { fields[byField] = .number(Double(role)) }
        }
        if let howField = facts[.confirmedHow] { fields[howField] = .number(Double(random.below(2))) }
        if let closedField = facts[.closedOn], random.unit() < 0.1 {
            fields[closedField] = .number(Double(confirmedOn + random.below(asOf.dayNumber - confirmedOn + 1)))
        }
    }

    // MARK: Output

    /// Student `index` as a checked record, ready to score.
    public func record(_ index: Int) -> StudentRecord {
        let student = student(index)
        var values = [Double](repeating: .nan, count: schema.valueSlotCount)
        var texts = [String?](repeating: nil, count: schema.textSlotCount)
        for (position, field) in schema.fields.enumerated() {
            switch student.fields[position] {
            case .number(let number): values[field.slot] = number
            case .text(let text): texts[field.slot] = text
            case nil: break
            }
        }
        var scales = [[ScaleResult]](repeating: [], count: schema.scales.count)
        for administration in student.scales {
            let scale = schema.scales[administration.scale]
            let scores = scale.computeScores(items: administration.items)
            scales[administration.scale].append(
                ScaleResult(
                    day: administration.day, scores: scores, items: administration.items,
                    classIndex: scale.classify(scores: scores, items: administration.items, fields: values)))
        }
        return StudentRecord(
            id: student.id, location: nil, values: values, texts: texts, events: student.events, scales: scales,
            schema: schema)
    }

    /// Students `range` as checked records.
    public func records(_ range: Range<Int>) -> [StudentRecord] { range.map(record) }

    /// Student `index` as one line of JSON (without the newline), in the form ``RecordReader`` reads.
    public func jsonLine(_ index: Int) -> String {
        let student = student(index)
        var out = "{\"id\":\"\(student.id)\""
        for (position, field) in schema.fields.enumerated() {
            guard let value = student.fields[position] else { continue }
            out += ",\"\(field.name)\":" + jsonValue(value, field.type)
        }
        var eventParts: [String] = []
        for kind in schema.eventKinds where !student.events[kind.index].isEmpty {
            eventParts.append(
                "\"\(kind.name)\":["
                    + student.events[kind.index].map { "\"\(CivilDate(dayNumber: Int($0)))\"" }.joined(separator: ",")
                    + "]")
        }
        if !eventParts.isEmpty { out += ",\"events\":{" + eventParts.joined(separator: ",") + "}" }
        if !student.scales.isEmpty {
            out += ",\"scales\":["
            out += student.scales.map { administration in
                "{\"scale\":\"\(schema.scales[administration.scale].name)\",\"date\":\"\(CivilDate(dayNumber: Int(administration.day)))\",\"items\":["
                    + administration.items.map { NumberText.format($0) }.joined(separator: ",") + "]}"
            }.joined(separator: ",")
            out += "]"
        }
        return out + "}"
    }

    /// Students `range` as JSON Lines text.
    public func jsonLines(_ range: Range<Int>) -> String {
        var out = ""
        for index in range {
            out += jsonLine(index)
            out += "\n"
        }
        return out
    }

    /// Students `range` as the three CSV tables `students.csv`, `events.csv` and `scales.csv`, each with its header
    /// (its columns named as `headers` says). Pass `header: false` for slices after the first.
    public func csvTables(_ range: Range<Int>, header: Bool = true, headers: Headers = .en) -> (
        students: String, events: String, scales: String
    ) {
        var students = ""
        var events = ""
        var scales = ""
        let maxItems = schema.scales.map(\.itemCount).max() ?? 0
        if header {
            students = studentsHeader(headers).map(AssessmentFormatting.csvCell).joined(separator: ",") + "\r\n"
            let studentID = AssessmentFormatting.csvCell(studentIDHeader(headers))
            events = studentID + ",kind,date\r\n"
            scales =
                ([studentID, "scale", "date"] + (0..<maxItems).map { "item\($0 + 1)" }).joined(separator: ",")
                + "\r\n"
        }
        for index in range {
            let student = student(index)
            var cells = [student.id]
            for (position, field) in schema.fields.enumerated() {
                guard let value = student.fields[position] else {
                    cells.append("")
                    continue
                }
                var text = jsonValue(value, field.type)
                if text.hasPrefix("\"") { text = String(text.dropFirst().dropLast()) }
                cells.append(AssessmentFormatting.csvCell(text))
            }
            students += cells.joined(separator: ",") + "\r\n"
            for kind in schema.eventKinds {
                for day in student.events[kind.index] {
                    events += "\(student.id),\(kind.name),\(CivilDate(dayNumber: Int(day)))\r\n"
                }
            }
            for administration in student.scales {
                var row =
                    "\(student.id),\(schema.scales[administration.scale].name),\(CivilDate(dayNumber: Int(administration.day)))"
                for item in 0..<maxItems {
                    row += ","
                    if item < administration.items.count { row += NumberText.format(administration.items[item]) }
                }
                scales += row + "\r\n"
            }
        }
        return (students, events, scales)
    }

    private func jsonValue(_ value: Student.Value, _ type: Schema.FieldType) -> String {
        switch (value, type) {
        case (.text(let text), _): return AssessmentFormatting.json(text)
        case (.number(let number), .boolean): return number != 0 ? "true" : "false"
        case (.number(let number), .date): return "\"\(CivilDate(dayNumber: Int(number)))\""
        case (.number(let number), .enumeration(let names, _)): return AssessmentFormatting.json(names[Int(number)])
        case (.number(let number), _): return NumberText.format(number)
        }
    }
}

private func pow2(_ value: Double) -> Double { value * value }

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and good enough for synthetic data.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in 0..<1 from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-shift (bias below 2⁻⁶⁴·bound).
    mutating func below(_ bound: UInt64) -> UInt64 { next().multipliedFullWidth(by: bound).high }

    mutating func below(_ bound: Int) -> Int { Int(below(UInt64(bound))) }

    /// The number of failures before the first success, success probability `p`, at most 20.
    mutating func geometric(_ p: Double) -> Int {
        var count = 0
        while count < 20 && unit() >= p { count += 1 }
        return count
    }

    /// An index drawn with these weights (they need not sum to 1).
    mutating func pick(_ weights: [Double]) -> Int { Self.pick(weights, uniform: unit()) }

    /// The index with these weights that a uniform draw in 0..<1 falls on.
    static func pick(_ weights: [Double], uniform: Double) -> Int {
        let total = weights.reduce(0, +)
        var target = uniform * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }
}
