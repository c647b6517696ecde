import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// Each construct of the test rule set scored on hand-made records; every expected level is reasoned in the comment.
@Suite struct ScoringTests {
    let rules: RuleSet
    let engine: ScoringEngine
    let asOf = TestSupport.date("2026-11-23")

    init() throws {
        rules = try TestSupport.loadCampus()
        engine = try ScoringEngine(rules: rules)
    }

    func assess(_ yaml: String, asOf date: String? = nil) throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: rules.schema).first)
        return engine.assess(record, asOf: date.map(TestSupport.date) ?? asOf, for: .fullView)
    }

    @Test func fusedTestsKeepKleeneLogicUnderNotAndInsideAndOr() throws {
        // Each condition compiles to one step that turns its own answer round for `not`, or folds into the `and`/`or`
        // on its left; missing data must still leave every one of them unknown, so it never fires.
        let path = try TestSupport.directory([
            "fused/rules.yaml": """
            ruleset: {id: fused, extends: \(TestSupport.campusRules)}
            indicators:
              - {id: n_not_warning, label: a, dimension: history, points: 1, when: "not academic_warning"}
              - {id: n_not_first_year, label: b, dimension: history, points: 1, when: "not (study_year() == 1)"}
              - {id: n_recent_absence, label: c, dimension: history, points: 1, when: "days_since(night_absence) <= 14"}
              - {id: n_not_old_absence, label: d, dimension: history, points: 1, when: "not (days_since(night_absence) > 14)"}
              - {id: n_not_mood, label: e, dimension: history, points: 1, when: "not mood_swing"}
              - {id: n_fold_any, label: f, dimension: history, points: 1, when: "gpa < 2.0 or (family_change or mood_swing)"}
              - {id: n_not_days_field, label: g, dimension: history, points: 1, when: "not (days_since(enrolled_on) < 100)"}
              - {id: n_or_not_year, label: h, dimension: history, points: 1, when: "academic_warning or not (study_year() >= 2)"}
            escalations:
              - {id: e_two_dims, level: attention, reason: a, when: "fired_count(observable) >= 2"}
              - {id: e_not_two, level: attention, reason: b, when: "not (fired_count(observable) >= 2)"}
              - {id: e_fold_range, level: attention, reason: c, when: "gpa < 2.0 and fired_count(observable) == 0"}
              - {id: e_and_not_range, level: attention, reason: d, when: "not academic_warning and not (fired_count(observable) == 0)"}
              - {id: e_none_of_empty, level: attention, reason: e, when: "gpa < 2.0 and fired_count(controllable) == 0"}
              - {id: e_two_of_empty, level: attention, reason: f, when: "fired_count(controllable) < 2"}
              - {id: e_any_of_empty, level: attention, reason: g, when: "fired_count(controllable) >= 1"}

            """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path + "/fused"))
        func held(_ yaml: String) throws -> (indicators: [String], escalations: [String]) {
            let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
            let result = engine.assess(record, asOf: asOf, for: .fullView)
            return (
                result.fired.map(\.id).filter { $0.hasPrefix("n_") },
                result.escalations.map(\.id).filter { $0.hasPrefix("e_") }
            )
        }
        // No indicator has the dimension `controllable`: none of that empty set fired, whatever the record.
        // Nothing known: only the tests on indicators (never unknown) can hold.
        let r1 = try held("{id: R1}")
        #expect(r1.indicators == ["n_not_mood"])
        #expect(r1.escalations == ["e_not_two", "e_two_of_empty"])
        // Third year, absent 3 days ago; family_change, mood_swing and family_change_with_mood fired (3 observable).
        let r2 = try held(
            """
            {id: R2, academic_warning: false, enrolled_on: 2024-09-01, gpa: 1.5,
             events: {night_absence: [2026-11-20], family_change: [2026-11-01], mood_swing_report: [2026-11-02]}}
            """)
        #expect(
            r2.indicators == [
                "n_not_warning", "n_not_first_year", "n_recent_absence", "n_not_old_absence", "n_fold_any",
                "n_not_days_field",
            ])
        #expect(r2.escalations == ["e_two_dims", "e_and_not_range", "e_none_of_empty", "e_two_of_empty"])
        // First year, enrolled 83 days ago, with a warning: `academic_warning or …` holds whatever the right side.
        let r3 = try held("{id: R3, academic_warning: true, enrolled_on: 2026-09-01, gpa: 3.5}")
        #expect(r3.indicators == ["n_not_mood", "n_or_not_year"])
        #expect(r3.escalations == ["e_not_two", "e_two_of_empty"])
        // Low gpa, nothing else known: `unknown or unknown` and `unknown and false` do not hold.
        let r4 = try held("{id: R4, gpa: 1.5}")
        #expect(r4.indicators == ["n_not_mood", "n_fold_any"])
        #expect(r4.escalations == ["e_not_two", "e_fold_range", "e_none_of_empty", "e_two_of_empty"])
    }

    @Test func anEffectMultipliesAnIndicatorOnceHoweverOftenItNamesIt() throws {
        // exam_failure is named twice and is checkable: the second effect multiplies it by 3 once (2 × 3 with the
        // campus's own exam effect), and lists it once.
        let path = try TestSupport.directory([
            "twice/rules.yaml": """
            ruleset: {id: twice, extends: \(TestSupport.campusRules)}
            calendar:
              effects:
                - {window: exams, indicators: [exam_failure, exam_failure], dimension: checkable, multiply: 3}

            """
        ])
        let engine = try ScoringEngine(rules: try RuleSet.load(from: path + "/twice"))
        let record = try #require(
            try TestSupport.records("- {id: T, failed_courses: 1}", schema: engine.rules.schema).first)
        let result = engine.assess(record, asOf: TestSupport.date("2026-07-01"), for: .fullView)
        #expect(result.fired.map(\.id) == ["exam_failure"])
        #expect(result.fired.first?.multiplier == 6)
        #expect(result.score == 6)
        #expect(result.calendarEffects.map(\.indicators) == [["exam_failure"], ["exam_failure"]])
    }

    @Test func emptyRecordScoresNoneAndMissingDataFiresNothing() throws {
        // gpa and diagnosed are missing: low_gpa and overdue_followup are unknown, so they do not fire.
        let result = try assess("{id: A}")
        #expect(result.level.id == "none")
        #expect(result.score == 0)
        #expect(result.fired.isEmpty)
        #expect(result.escalations.isEmpty && result.caps.isEmpty)
    }

    @Test func eventsCountOnlyInsideTheirWindowBeforeAsOf() throws {
        // Two absences within 30 days: 2 points; a single-parent family: 1 point; 3 reaches attention.
        let result = try assess(
            "{id: B, family_structure: single_parent, events: {night_absence: [2026-11-01, 2026-11-10, 2026-12-01]}}")
        #expect(result.level.id == "attention")
        #expect(result.score == 3)
        #expect(result.fired.map(\.id) == ["night_absence", "incomplete_family"])
        let evidence = try #require(result.fired.first?.evidence)
        #expect(evidence.map(\.value) == ["2", "13"])
        #expect(evidence.map(\.label) == ["count(night_absence, 30d)", "days since the latest"])
        // 2026-10-20 is 34 days back: outside the 30-day window; the December absence is after as-of.
        let outside = try assess("{id: C, events: {night_absence: [2026-10-20, 2026-11-20, 2026-12-01]}}")
        #expect(outside.fired.isEmpty)
    }

    @Test func stressorWithMoodChangeWeighsMoreThanTheSum() throws {
        // family_change 3 + mood_swing 1 + family_change_with_mood 2 = 6: focus.
        let result = try assess("{id: D, events: {family_change: [2026-09-01], mood_swing_report: [2026-11-01]}}")
        #expect(result.fired.map(\.id) == ["family_change", "mood_swing", "family_change_with_mood"])
        #expect(result.score == 6)
        #expect(result.level.id == "focus")
        // The same family change alone: 3 points, attention.
        #expect(try assess("{id: D2, events: {family_change: [2026-09-01]}}").level.id == "attention")
    }

    @Test func bandedPointsFollowTheValue() throws {
        // Third-year student: 2 failures give band 1 (1 point), 4 give band 3 (3 points).
        let two = try assess("{id: E2, enrolled_on: 2024-09-01, failed_courses: 2}")
        #expect(two.fired.map(\.points) == [1])
        #expect(two.level.id == "none")
        let four = try assess("{id: E4, enrolled_on: 2024-09-01, failed_courses: 4}")
        #expect(four.fired.map(\.points) == [3])
        #expect(four.level.id == "attention")
    }

    @Test func calendarEffectMultipliesInsideItsWindow() throws {
        // 2027-01-10 is in the January exam window: exam_failure's 3 points × 2 = 6, focus.
        let result = try assess("{id: E4, enrolled_on: 2024-09-01, failed_courses: 4}", asOf: "2027-01-10")
        let fired = try #require(result.fired.first)
        #expect(fired.points == 6)
        #expect(fired.basePoints == 3)
        #expect(fired.multiplier == 2)
        #expect(result.level.id == "focus")
        #expect(result.calendarEffects == [AppliedEffect(window: "exams", factor: 2, indicators: ["exam_failure"])])
    }

    @Test func studyYearAndWindowLimitedIndicators() throws {
        // Enrolled 2026-09-05: first year. exam_failure 1 + first_year_failure 2 = 3: attention.
        let november = try assess("{id: F, enrolled_on: 2026-09-05, failed_courses: 1}")
        #expect(november.fired.map(\.id) == ["exam_failure", "first_year_failure"])
        #expect(november.level.id == "attention")
        // On 2026-09-20 the autumn window holds and enrolment was 15 days ago: freshman_autumn adds 1.
        let september = try assess("{id: F, enrolled_on: 2026-09-05, failed_courses: 1}", asOf: "2026-09-20")
        #expect(september.fired.map(\.id) == ["exam_failure", "first_year_failure", "freshman_autumn"])
        #expect(september.score == 4)
    }

    @Test func positiveScaleAloneIsCappedAtFocus() throws {
        // PHQ-9 total 21 (severe) alone: 12 points would be high; the cap keeps it at focus.
        let result = try assess(
            "{id: G, scales: [{scale: phq9, date: 2026-10-01, items: [3, 3, 3, 3, 3, 2, 2, 2, 0]}]}")
        #expect(result.score == 12)
        #expect(result.scoreLevel?.id == "high")
        #expect(result.level.id == "focus")
        #expect(result.caps.map(\.id) == ["scale_alone"])
        #expect(result.caps.first?.changedLevel == true)
        #expect(result.fired.first?.evidence.map(\.value) == ["21", "severe"])
        // With a second indicator the cap no longer holds: 12 + 2 (night absences) = 14, high.
        let withMore = try assess(
            "{id: G2, events: {night_absence: [2026-11-01, 2026-11-02]}, scales: [{scale: phq9, date: 2026-10-01, items: [3, 3, 3, 3, 3, 2, 2, 2, 0]}]}"
        )
        #expect(withMore.level.id == "high")
        #expect(withMore.caps.isEmpty)
    }

    @Test func scaleResultGivenAsScoresIsClassifiedByTheRules() throws {
        // Total 16 given without items: class moderately_severe, band 15 → 6 points: focus.
        let result = try assess("{id: N, scales: [{scale: phq9, date: 2026-11-01, scores: {total: 16}}]}")
        #expect(result.fired.map(\.id) == ["positive_scale"])
        #expect(result.fired.first?.evidence.map(\.value) == ["16", "moderately_severe"])
        #expect(result.level.id == "focus")
    }

    @Test func redFlagEscalatesToCrisisAndProtectionCannotLowerIt() throws {
        // PHQ-9 item 9 answered 1 within 90 days: suicidal_ideation (0 points) → crisis, despite help-seeking (−2).
        let result = try assess(
            "{id: H, seeks_help: true, scales: [{scale: phq9, date: 2026-11-01, items: [0, 0, 0, 0, 0, 0, 0, 0, 1]}]}")
        #expect(result.score == -2)
        #expect(result.scoreLevel?.id == "none")
        #expect(result.level.id == "crisis")
        #expect(result.escalations.map(\.id) == ["red_flag"])
        #expect(result.route == ["counsellor", "centre"])
        #expect(result.informParents == .yes)
        // The same answer 100 days ago is outside the 90-day window.
        let old = try assess("{id: H2, scales: [{scale: phq9, date: 2026-08-15, items: [0, 0, 0, 0, 0, 0, 0, 0, 1]}]}")
        #expect(old.level.id == "none")
        #expect(try assess("{id: H3, self_harm_risk: true}").level.id == "crisis")
    }

    @Test func crossScreeningAcrossDimensionsEscalates() throws {
        // mood_swing (observable 1) + incomplete_family (knowable 1) + low_gpa (checkable 1) = 3: attention → focus.
        let result = try assess(
            "{id: I, gpa: 1.5, academic_warning: false, family_structure: reconstituted, events: {mood_swing_report: [2026-11-20]}}"
        )
        #expect(result.score == 3)
        #expect(result.scoreLevel?.id == "attention")
        #expect(result.level.id == "focus")
        #expect(result.escalations.map(\.id) == ["cross_screen"])
    }

    @Test func escalationMayReadTheScore() throws {
        // First-year, 4 failures: 3 + 2; family change 3: score 8 (focus); score ≥ 8 with first_year_failure → high.
        let result = try assess(
            "{id: J, enrolled_on: 2026-09-01, failed_courses: 4, events: {family_change: [2026-10-01]}}")
        #expect(result.score == 8)
        #expect(result.level.id == "high")
        #expect(result.escalations.map(\.id) == ["score_and_history"])
    }

    @Test func overdueFollowUpOfDiagnosedStudent() throws {
        // Last contact 20 days ago (> 15): 4 points, attention. 10 days ago: nothing. No contact at all: flagged.
        #expect(
            try assess("{id: K1, diagnosed: true, events: {counsellor_contact: [2026-11-03]}}").level.id == "attention")
        #expect(try assess("{id: K2, diagnosed: true, events: {counsellor_contact: [2026-11-13]}}").fired.isEmpty)
        #expect(try assess("{id: K3, diagnosed: true}").fired.map(\.id) == ["overdue_followup"])
        #expect(try assess("{id: K4, diagnosed: false}").fired.isEmpty)
    }

    @Test func protectiveFactorsSubtractPoints() throws {
        // night_absence 2 + incomplete_family 1 − seeks_help 2 = 1: none.
        let result = try assess(
            "{id: L, seeks_help: true, family_structure: single_parent, events: {night_absence: [2026-11-01, 2026-11-10]}}"
        )
        #expect(result.score == 1)
        #expect(result.level.id == "none")
        #expect(result.fired.last?.id == "help_seeking")
        #expect(result.fired.last?.points == -2)
    }

    @Test func scaleScoringReversesExcludesAveragesAndCounts() throws {
        // mini answers 5,5,1,1; item 4 reversed → 5. total excludes item 3: 5+5+5 = 15 ≥ 12: positive.
        let result = try assess("{id: M, scales: [{scale: mini, date: 2026-11-01, items: [5, 5, 1, 1]}]}")
        #expect(result.fired.map(\.id) == ["mini_positive"])
        #expect(result.fired.first?.evidence.map(\.value) == ["15", "5", "3", "2026-11-01"])
        // 1,1,5,5: reversed item 4 → 1; total 1+1+1 = 3, but item(3) = 5: positive by the second clause.
        let byItem = try assess("{id: M2, scales: [{scale: mini, date: 2026-11-01, items: [1, 1, 5, 5]}]}")
        #expect(byItem.fired.map(\.id) == ["mini_positive"])
        #expect(byItem.fired.first?.evidence.first?.value == "3")
        // 1,1,1,5: total 3, item 3 = 1: negative.
        #expect(try assess("{id: M3, scales: [{scale: mini, date: 2026-11-01, items: [1, 1, 1, 5]}]}").fired.isEmpty)
    }

    @Test func sensitiveIndicatorsAndRulesAreWithheldFromRolesThatMayNotSeeThem() throws {
        // family_change reads a sensitive event: the dorm liaison learns the points and level, not the indicator.
        let result = try assess(
            "{id: P, events: {family_change: [2026-11-01], night_absence: [2026-11-02, 2026-11-03]}}")
        let liaison = try #require(rules.roles.first { $0.id == "dorm_liaison" })
        let counsellor = try #require(rules.roles.first { $0.id == "counsellor" })
        let seenByLiaison = result.visible(to: liaison)
        // The liaison sees what it may see and that something is withheld: not the indicator, nor its dimension or
        // points, nor the score and level by score they would give away.
        #expect(seenByLiaison.fired.map(\.id) == ["night_absence"])
        #expect(seenByLiaison.fired.map(\.points) == [2])
        #expect(seenByLiaison.withheld)
        #expect(seenByLiaison.score.isNaN && seenByLiaison.scoreLevel == nil)
        #expect(seenByLiaison.level == result.level)
        #expect(!result.visible(to: counsellor).withheld && result.visible(to: counsellor).score == 5)
        #expect(result.visible(to: counsellor).fired.map(\.id) == ["night_absence", "family_change"])
        #expect(result.visible(to: counsellor).fired[1].evidence.map(\.value) == ["22"])
        // The red flag reads a sensitive field: its escalation is withheld too, the level is not.
        let crisis = try assess("{id: Q, self_harm_risk: true}").visible(to: liaison)
        #expect(crisis.level.id == "crisis")
        #expect(crisis.escalations.isEmpty && crisis.fired.isEmpty && crisis.withheld)
    }

    @Test func explanationNamesEveryReasonAndSaysItIsNotADiagnosis() throws {
        let result = try assess(
            "{id: G, scales: [{scale: phq9, date: 2026-10-01, items: [3, 3, 3, 3, 3, 2, 2, 2, 0]}]}")
        let text = result.explanation
        #expect(text.contains("G: focus (score 12, as of 2026-11-23)"))
        #expect(text.contains("+12  positive_scale 量表阳性"))
        #expect(text.contains("cap scale_alone: at most focus (applied) — Never conclude from a scale alone."))
        #expect(text.contains(RuleSetTexts.defaultNotice))
    }

    @Test func roommatesOfAStudentInCrisisGetAttentionInABatch() throws {
        let yaml = """
            - {id: R1, dorm: A-101, self_harm_risk: true}
            - {id: R2, dorm: A-101}
            - {id: R3, dorm: A-101, events: {family_change: [2026-09-01], mood_swing_report: [2026-11-01]}}
            - {id: R4, dorm: B-202}
            - {id: R5}
            """
        let records = try TestSupport.records(yaml, schema: rules.schema)
        let results = engine.assess(records, asOf: asOf, for: .fullView)
        // R1 is in crisis; R2 (none) rises to attention; R3 (focus by its own score) keeps focus.
        #expect(results.map(\.level.id) == ["crisis", "attention", "focus", "none", "none"])
        #expect(results[1].escalations.map(\.id) == ["roommate_exposure"])
        #expect(results[1].escalations.first?.changedLevel == true)
        #expect(results[1].route == ["dorm_liaison", "class_committee", "counsellor"])
        #expect(results[2].escalations.first?.changedLevel == false)
        #expect(results[0].escalations.map(\.id) == ["red_flag"])
        // Scored alone, R2 has no cohort: none.
        #expect(engine.assess(records[1], asOf: asOf, for: .fullView).level.id == "none")
    }

    @Test func roommatesMatchWhateverUnicodeFormTheDormIsWrittenIn() throws {
        // "Résidence" with é as one character (U+00E9) and as e + combining acute (U+0301): the same dorm.
        let yaml = """
            - {id: R1, dorm: "R\\u00E9sidence-3", self_harm_risk: true}
            - {id: R2, dorm: "Re\\u0301sidence-3"}
            - {id: R3, dorm: "Residence-3"}
            """
        let records = try TestSupport.records(yaml, schema: rules.schema)
        #expect(engine.assess(records, asOf: asOf, for: .fullView).map(\.level.id) == ["crisis", "attention", "none"])
        let scores = engine.score(records, asOf: asOf, for: .fullView)
        #expect((0..<3).map { scores.level($0).id } == ["crisis", "attention", "none"])
    }

    @Test func roommatesMatchWhenADormNamesACompatibilityIdeograph() throws {
        // U+F900 is a compatibility ideograph that is canonically the same character as U+8C48: one dorm, written
        // in a plain form (hashed as it is) and in a form that must be composed first.
        let yaml = """
            - {id: C1, dorm: "\\u8C48园3栋", self_harm_risk: true}
            - {id: C2, dorm: "\\uF900园3栋"}
            - {id: C3, dorm: "园3栋"}
            """
        let records = try TestSupport.records(yaml, schema: rules.schema)
        #expect(engine.assess(records, asOf: asOf, for: .fullView).map(\.level.id) == ["crisis", "attention", "none"])
        #expect(
            (0..<3).map { engine.score(records, asOf: asOf, for: .fullView).level($0).id } == [
                "crisis", "attention", "none",
            ])
    }

    @Test func batchResultsAreIdenticalWhateverTheThreadCount() throws {
        // 3,100 records: one, two and three workers (at least 1,024 records each), split unevenly by three.
        var yaml = ""
        for index in 0..<3100 {
            let absences = index % 4 == 0 ? "[2026-11-01, 2026-11-10]" : "[]"
            let family = ["intact", "single_parent", "reconstituted"][index % 3]
            yaml +=
                "- {id: S\(index), family_structure: \(family), failed_courses: \(index % 5), enrolled_on: 2026-09-01, events: {night_absence: \(absences)}}\n"
        }
        let records = try TestSupport.records(yaml, schema: rules.schema)
        let one = engine.assess(records, asOf: asOf, for: .fullView, threads: 1)
        let two = engine.assess(records, asOf: asOf, for: .fullView, threads: 2)
        let eight = engine.assess(records, asOf: asOf, for: .fullView, threads: 8)
        #expect(one.map(\.explanation) == two.map(\.explanation))
        #expect(one.map(\.explanation) == eight.map(\.explanation))
        #expect(one.map(\.studentID) == records.map(\.id))
        #expect(Set(one.map(\.level.id)).count > 2)
    }
}
