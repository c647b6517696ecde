import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSynthetic

/// Properties of campus-default's screening level over generated students, one fact changed at a time (issue 12):
/// a risk fact added or worsened never lowers the level, a protective fact added never raises it, a risk field
/// removed never raises it ("missing data never flags a student"), a fact aged past its window never raises it, and a
/// student scored in a batch gets what they get alone unless a cohort rule explains the difference. A violation is
/// shrunk to a minimal record (every other fact removed while it still holds) and printed with the change.
@Suite struct MonotonicityPropertyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let asOf = TestSupport.date("2026-11-23")

    /// How each of campus-default's fields weighs: a field the table does not know fails the test, so a new field is
    /// classified when it is added, not silently left out of the properties.
    enum Weight {
        /// True, or more, is a risk (a higher enumeration value is a worse one, in the listed order).
        case risk
        /// True is a protective fact (or a mitigating one, such as a counsellor's verification).
        case protective
        /// Neither: identity, place, dates, the case model's facts (which never change the screening level; see
        /// `CaseModelPropertyTests`).
        case neutral
    }

    static let weights: [String: Weight] = {
        var weights: [String: Weight] = [:]
        for name in [
            "internet_addiction_observed", "introverted", "academic_pressure_observed",
            "interpersonal_tension_observed", "adaptation_difficulty_observed", "negative_cognition_observed",
            "failed_courses", "academic_warning_issued", "serious_sanction", "on_internship", "graduation_status",
            "family_structure", "economic_status", "parent_child_conflict", "family_care_lacking",
            "exam_or_job_pressure", "postgrad_candidate", "residence", "prior_suicide_attempt",
            "family_suicide_history", "diagnosed", "on_psychiatric_medication", "treatment_refused",
            "long_serious_illness", "self_harm_tendency", "harm_others_tendency",
        ] { weights[name] = .risk }
        for name in [
            "seeks_help", "peer_warning_active", "in_treatment_after_referral", "family_school_cooperation",
            "has_three_friends", "mentor_assigned", "support_systems_in_place", "family_harmonious",
            "attends_post_return_counselling", "risk_verified_on",
        ] { weights[name] = .protective }
        for name in [
            "name", "college", "class_name", "dorm", "enrolled_on", "programme_years", "readmission_reviewed_on",
        ] {
            weights[name] = .neutral
        }
        for fact in CaseFacts.Fact.allCases { weights[fact.rawValue] = .neutral }
        return weights
    }()

    /// One student as JSON Lines reads it, kept as parts that a change or the shrinker can take apart.
    struct Student: CustomStringConvertible {
        var id: String
        var fields: [String: Any]
        var events: [String: [String]]
        var scales: [[String: Any]]

        init(jsonLine: String) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any])
            id = try #require(object["id"] as? String)
            events = object["events"] as? [String: [String]] ?? [:]
            scales = object["scales"] as? [[String: Any]] ?? []
            fields = object.filter { !["id", "events", "scales"].contains($0.key) }
        }

        /// The student without text fields (name, college, class, dorm): no cohort rule can group them with another.
        func withoutTexts(_ schema: Schema) -> Student {
            var student = self
            for field in schema.fields where field.type == .text { student.fields[field.name] = nil }
            return student
        }

        var description: String {
            var object = fields
            object["id"] = id
            if !events.isEmpty { object["events"] = events }
            if !scales.isEmpty { object["scales"] = scales }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// One fact changed, and which way the level may not move.
    struct Change: CustomStringConvertible {
        enum Rule: String {
            case mayNotLower = "may not lower the level"
            case mayNotRaise = "may not raise the level"
        }
        var description: String
        var rule: Rule
        /// The field, event kind or scale the change touches: the shrinker keeps it.
        var keeps: String
        var apply: (inout Student) -> Void
    }

    let rules: RuleSet
    let engine: ScoringEngine

    init() throws {
        rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        engine = try ScoringEngine(rules: rules)
    }

    /// The screening level's rank of a student scored alone.
    func rank(_ student: Student) throws -> Int { try ranks([student])[0] }

    /// The screening level's ranks of students each scored alone (read as one file, for speed).
    func ranks(_ students: [Student]) throws -> [Int] {
        // Each under an id of its own: a file holds each student once.
        let text = students.enumerated().map { position, student in
            var renamed = student
            renamed.id = "\(student.id)-\(position)"
            return renamed.description
        }.joined(separator: "\n")
        let batch = RecordReader.readJSONLines(Array(text.utf8), file: "s.jsonl", schema: rules.schema)
        if let error = batch.rejected.first { throw error }
        // Scored together but each alone: the students hold no text field, so no cohort rule groups them.
        let scores = engine.score(batch.records, asOf: Self.asOf, for: .fullView, threads: 1)
        return batch.records.indices.map { scores.levelRank($0) }
    }

    func violates(_ student: Student, _ change: Change) throws -> (before: Int, after: Int)? {
        var changed = student
        change.apply(&changed)
        let (before, after) = (try rank(student), try rank(changed))
        switch change.rule {
        case .mayNotLower: return after < before ? (before, after) : nil
        case .mayNotRaise: return after > before ? (before, after) : nil
        }
    }

    /// The student with every fact the change does not touch removed, one at a time, while the violation holds.
    func shrink(_ student: Student, _ change: Change) throws -> Student {
        var current = student
        var progress = true
        while progress {
            progress = false
            var candidates: [Student] = []
            for key in current.fields.keys where key != change.keeps {
                var smaller = current
                smaller.fields[key] = nil
                candidates.append(smaller)
            }
            for (kind, days) in current.events {
                for index in days.indices where kind != change.keeps || days.count > 1 {
                    var smaller = current
                    smaller.events[kind]?.remove(at: index)
                    if smaller.events[kind]?.isEmpty == true { smaller.events[kind] = nil }
                    candidates.append(smaller)
                }
            }
            for index in current.scales.indices where current.scales[index]["scale"] as? String != change.keeps {
                var smaller = current
                smaller.scales.remove(at: index)
                candidates.append(smaller)
            }
            for candidate in candidates {
                // A removal that makes the record unreadable (a case fact without its companion) is skipped.
                guard (try? violates(candidate, change)) ?? nil != nil else { continue }
                current = candidate
                progress = true
                break
            }
        }
        return current
    }

    /// A student of two to five facts drawn at random: recent events, risk fields, a recent scale result, an enrolment.
    func smallStudent(number: Int, random: inout SplitMix64) throws -> Student {
        var student = try Student(jsonLine: #"{"id":"small\#(number)"}"#)
        let dayNumber = Self.asOf.dayNumber
        func date(_ daysBack: Int) -> String { CivilDate(dayNumber: dayNumber - daysBack).description }
        let staff = rules.schema.caseFacts.staffEventKinds
        let kinds = rules.schema.eventKinds.filter { !staff.contains($0.index) }
        let riskFields = rules.schema.fields.filter { Self.weights[$0.name] == .risk }
        for _ in 0..<(2 + random.below(4)) {
            switch random.below(4) {
            case 0:
                let kind = kinds[random.below(kinds.count)].name
                for _ in 0..<(1 + random.below(3)) { student.events[kind, default: []].append(date(random.below(45))) }
                student.events[kind]?.sort()
            case 1:
                let field = riskFields[random.below(riskFields.count)]
                switch field.type {
                case .boolean: student.fields[field.name] = true
                case .integer: student.fields[field.name] = random.below(6)
                case .enumeration(let values, _): student.fields[field.name] = values[random.below(values.count)]
                default: break
                }
            case 2:
                let scale = rules.schema.scales[random.below(rules.schema.scales.count)]
                let span = Int(scale.maximumAnswer - scale.minimumAnswer) + 1
                // Mostly low answers with a few high ones, as real questionnaires are.
                let items = (0..<scale.itemCount).map { _ in
                    scale.minimumAnswer + Double(random.below(4) == 0 ? random.below(span) : 0)
                }
                student.scales.append(["scale": scale.name, "date": date(random.below(60)), "items": items])
            default:
                student.fields["enrolled_on"] = "\(2020 + random.below(7))-09-01"
            }
        }
        return student
    }

    /// The changes to try on a student: each one fact.
    func changes(for student: Student, random: inout SplitMix64) -> [Change] {
        var changes: [Change] = []
        let dayNumber = Self.asOf.dayNumber
        func date(_ daysBack: Int) -> String { CivilDate(dayNumber: dayNumber - daysBack).description }
        for field in rules.schema.fields {
            let name = field.name
            switch (Self.weights[name], field.type) {
            case (.risk?, .boolean) where student.fields[name] as? Bool != true:
                changes.append(
                    Change(description: "\(name): true", rule: .mayNotLower, keeps: name) { $0.fields[name] = true })
            case (.protective?, .boolean) where student.fields[name] as? Bool != true:
                changes.append(
                    Change(description: "\(name): true", rule: .mayNotRaise, keeps: name) { $0.fields[name] = true })
            case (.risk?, .enumeration(let values, _)):
                let current = (student.fields[name] as? String).flatMap { values.firstIndex(of: $0) } ?? 0
                if current + 1 < values.count {
                    let worse = values[current + 1 + random.below(values.count - current - 1)]
                    changes.append(
                        Change(description: "\(name): \(worse)", rule: .mayNotLower, keeps: name) {
                            $0.fields[name] = worse
                        })
                }
            case (.risk?, .integer):
                let current = (student.fields[name] as? Int) ?? 0
                let more = current + 1 + random.below(4)
                changes.append(
                    Change(description: "\(name): \(more)", rule: .mayNotLower, keeps: name) { $0.fields[name] = more })
            case (nil, _):
                Issue.record("campus-default's field \(name) is not classified in MonotonicityPropertyTests.weights")
            default: break
            }
            // Missing data never flags a student: taking away a risk field, or a neutral one such as the enrolment date,
            // never raises the level (a protective one may: its protection goes with it; case facts are left alone).
            if student.fields[name] != nil, Self.weights[name] != .protective,
                CaseFacts.Fact(rawValue: name) == nil
            {
                changes.append(
                    Change(description: "remove \(name)", rule: .mayNotRaise, keeps: "") { $0.fields[name] = nil })
            }
        }
        for kind in rules.schema.eventKinds where !rules.schema.caseFacts.staffEventKinds.contains(kind.index) {
            let day = date(random.below(400))
            changes.append(
                Change(description: "add \(kind.name) on \(day)", rule: .mayNotLower, keeps: kind.name) {
                    $0.events[kind.name, default: []].append(day)
                    $0.events[kind.name]?.sort()
                })
        }
        for (kind, days) in student.events {
            let index = random.below(days.count)
            guard let day = CivilDate(iso: days[index]) else { continue }
            let older = CivilDate(dayNumber: day.dayNumber - 1 - random.below(200)).description
            changes.append(
                Change(description: "move \(kind) of \(days[index]) back to \(older)", rule: .mayNotRaise, keeps: kind)
                {
                    $0.events[kind]?[index] = older
                    $0.events[kind]?.sort()
                })
        }
        for (position, result) in student.scales.enumerated() {
            guard let name = result["scale"] as? String, let items = result["items"] as? [Double],
                let scale = rules.schema.scales.first(where: { $0.name == name })
            else { continue }
            var worsenable = items.indices.filter {
                scale.reversedItems.contains($0 + 1) ? items[$0] > scale.minimumAnswer : items[$0] < scale.maximumAnswer
            }
            // A few items of each result, each worsened by one step on its own.
            for _ in 0..<min(6, worsenable.count) {
                let item = worsenable.remove(at: random.below(worsenable.count))
                let worse = items[item] + (scale.reversedItems.contains(item + 1) ? -1 : 1)
                changes.append(
                    Change(
                        description: "\(name) of \(result["date"] ?? "") item \(item + 1): \(worse)",
                        rule: .mayNotLower, keeps: name
                    ) {
                        var changed = items
                        changed[item] = worse
                        $0.scales[position]["items"] = changed
                    })
            }
        }
        return changes
    }

    /// A violation found: the family it belongs to (the change without its values), the shrunk student and the move.
    struct Violation {
        var family: String
        var change: String
        var student: Student
        var before: Int
        var after: Int
    }

    /// Every change tried on `count` generated students; violations shrunk, at most `examples` per family.
    func violations(
        count: Int, seed: UInt64, examples: Int = 1, tried: inout [String: Int],
        isKnown: (Student, Change) -> Bool = { _, _ in false }
    ) throws -> [String: (
        count: Int, examples: [Violation]
    )] {
        let cohort = SyntheticCohort(rules: rules, seed: seed, asOf: Self.asOf)
        var random = SplitMix64(seed: seed)
        var found: [String: (count: Int, examples: [Violation])] = [:]
        // Most generated students have no risk at all; the properties are tried mostly on those with some, where
        // indicators interact (four in five of the students tried are above the lowest level).
        let pool = try (0..<(count * 5)).map { try Student(jsonLine: cohort.jsonLine($0)).withoutTexts(rules.schema) }
        let poolRanks = try ranks(pool)
        let elevated = pool.indices.filter { poolRanks[$0] > 0 }.prefix(count * 2 / 5)
        let calm = pool.indices.filter { poolRanks[$0] == 0 }.prefix(count / 10)
        // Half the students are small: a few recent facts each, so that one more fact often crosses a threshold and
        // indicators meet in every combination (generated cohorts spread their facts over a year).
        let small = try (0..<(count / 2)).map { try smallStudent(number: $0, random: &random) }
        for student in Array(elevated.map { pool[$0] }) + Array(calm.map { pool[$0] }) + small {
            let changes = changes(for: student, random: &random)
            let changed = changes.map { change in
                var changed = student
                change.apply(&changed)
                return changed
            }
            let ranks = try ranks([student] + changed)
            for (change, after) in zip(changes, ranks.dropFirst()) {
                tried[Self.family(of: change), default: 0] += 1
                let before = ranks[0]
                let moved = change.rule == .mayNotLower ? after < before : after > before
                guard moved, !isKnown(student, change) else { continue }
                let move = (before: before, after: after)
                let family = Self.family(of: change)
                var entry = found[family] ?? (0, [])
                entry.count += 1
                if entry.examples.count < examples {
                    let small = try shrink(student, change)
                    let smallMove = try violates(small, change) ?? move
                    entry.examples.append(
                        Violation(
                            family: family, change: change.description, student: small, before: smallMove.before,
                            after: smallMove.after))
                }
                found[family] = entry
            }
        }
        return found
    }

    /// A change's family: its description without dates and values (`add night_absence`, `failed_courses`).
    static func family(of change: Change) -> String {
        let words = change.description.split(separator: " ")
        if words.first == "add" || words.first == "move" || words.first == "remove" {
            return words.prefix(2).joined(separator: " ")
        }
        if change.description.contains(" item ") { return "worsen \(words[0]) item" }
        return "raise " + (words.first.map { String($0.dropLast()) } ?? change.description)
    }

    @Test func aRiskFactNeverLowersTheLevelAProtectiveFactOrAMissingOneNeverRaisesItAndAgeingNeverRaisesIt() throws {
        var tried: [String: Int] = [:]
        let found = try violations(count: 300, seed: 12, tried: &tried)
        for (family, entry) in found.sorted(by: { $0.key < $1.key }) {
            let example = entry.examples[0]
            Issue.record(
                "\(family) broke its rule \(entry.count) times; smallest: \(example.change) moves \(rules.levels[example.before].id) → \(rules.levels[example.after].id) for \(example.student)"
            )
        }
        // Every kind of change was tried: each non-staff event kind added, each risk field raised, each protective one
        // set, events aged, every scale's answers worsened and fields removed.
        let staff = rules.schema.caseFacts.staffEventKinds
        let expected =
            rules.schema.eventKinds.filter { !staff.contains($0.index) }.map { "add \($0.name)" }
            + rules.schema.fields.filter { Self.weights[$0.name] != .neutral && $0.name != "risk_verified_on" }.map {
                "raise \($0.name)"
            } + [
                "worsen upi item", "worsen scl90 item", "worsen phq9 item", "worsen gad7 item", "remove failed_courses",
            ]
        #expect(expected.filter { tried[$0, default: 0] == 0 } == [])
        #expect(tried.keys.contains { $0.hasPrefix("move ") })
    }

    /// The defects issue 12 found in campus-default, each on the record that showed it: one more failed course at 3
    /// (fail_by_year used to replace exam_failure and take its dimension away), the enrolment date taken away from a
    /// student with failed courses (the same swap, the other way), and a UPI moving from second to first class beside
    /// another positive scale (upi_second_class's points used to go while positive_scale already fired). The second
    /// reading gives failures and UPI classes bands that add up; these records pin that the moves are gone.
    @Test(arguments: [
        (
            #"{"id":"F1","enrolled_on":"2023-09-01","failed_courses":1,"family_harmonious":true,"graduation_status":"no_job","has_three_friends":true,"scales":[{"scale":"upi","date":"2026-11-21","items":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,0,0,0,1,0,0,1,0,0,0,0,0,0,1,0,0,0,0,1,0,1,0,0,0,1,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0]}]}"#,
            "failed_courses: 3"
        ),
        (
            #"{"id":"E1","enrolled_on":"2026-09-01","exam_or_job_pressure":true,"failed_courses":2,"on_internship":true}"#,
            "remove enrolled_on"
        ),
        (
            #"{"id":"U1","enrolled_on":"2024-09-01","scales":[{"scale":"phq9","date":"2026-11-01","items":[2,2,1,1,2,1,2,1,0]},{"scale":"upi","date":"2026-11-01","items":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]}"#,
            "upi first class"
        ),
    ])
    func theMovesIssue12FoundAreGone(line: String, move: String) throws {
        let student = try Student(jsonLine: line)
        let change: Change
        switch move {
        case "failed_courses: 3":
            change = Change(description: move, rule: .mayNotLower, keeps: "failed_courses") {
                $0.fields["failed_courses"] = 3
            }
        case "remove enrolled_on":
            change = Change(description: move, rule: .mayNotRaise, keeps: "") {
                $0.fields["enrolled_on"] = nil
            }
        default:
            change = Change(description: move, rule: .mayNotLower, keeps: "upi") {
                $0.scales[1]["items"] = [
                    1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                ]
            }
        }
        var changed = student
        change.apply(&changed)
        let (before, after) = (try rank(student), try rank(changed))
        #expect(change.rule == .mayNotLower ? after >= before : after <= before, "\(move): \(before) → \(after)")
        if move == "upi first class" {
            // The change is the one meant: second class before, first class after, with a positive PHQ-9 beside it.
            let fired = try [student, changed].map { student -> [String] in
                let batch = RecordReader.readJSONLines(
                    Array(student.description.utf8), file: "s.jsonl", schema: rules.schema)
                let record = try #require(batch.records.first)
                return engine.assess(record, asOf: Self.asOf, for: .fullView).fired.map(\.id)
            }
            #expect(fired[0].contains("upi_positive") && !fired[0].contains("upi_first_class"))
            #expect(fired[1].contains("upi_first_class") && fired[1].contains("positive_scale"))
        }
    }

    @Test func aStudentInABatchGetsWhatTheyGetAloneUnlessACohortRuleExplainsIt() throws {
        // Seed 11: its 2,000 students include acts of self-harm or harming others with roommates (the cohort rule needs an act).
        let cohort = SyntheticCohort(rules: rules, seed: 11, asOf: Self.asOf)
        let records = cohort.records(0..<2_000)
        let batch = engine.assess(records, asOf: Self.asOf, for: .fullView)
        let cohortRuleIDs = Set(rules.cohortRules.map(\.id))
        var explained = 0
        for (record, inBatch) in zip(records, batch) {
            let alone = engine.assess(record, asOf: Self.asOf, for: .fullView)
            if alone.levelRank == inBatch.levelRank {
                #expect(alone.fired.map(\.id) == inBatch.fired.map(\.id))
                continue
            }
            // Only a cohort rule may move a student in a batch, only up, and to the rule's own level.
            let rules = inBatch.escalations.filter { cohortRuleIDs.contains($0.id) }
            #expect(!rules.isEmpty && inBatch.levelRank > alone.levelRank, "\(record.id)")
            #expect(rules.map { $0.level.rank }.max() == inBatch.levelRank)
            explained += 1
        }
        #expect(explained > 0)
    }
}
