import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport
@testable import RiskScreenSynthetic

/// Screening proposes, the centre decides: the case facts a record carries, the two levels and the status, what acts
/// before a person confirms, and cohort rules that wait for a confirmation (issue 11).
@Suite struct CaseModelTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let rules: RuleSet
    let engine: ScoringEngine
    let asOf = TestSupport.date("2026-07-20")

    init() throws {
        rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        engine = try ScoringEngine(rules: rules)
    }

    func records(_ yaml: String) throws -> [StudentRecord] { try TestSupport.records(yaml, schema: rules.schema) }

    func assess(_ yaml: String) throws -> Assessment {
        engine.assess(try #require(try records("- " + yaml).first), asOf: asOf, for: .fullView)
    }

    static let answer = "scales: [{scale: phq9, date: 2026-07-10, items: [0, 0, 0, 0, 0, 0, 0, 0, 1]}]"

    // MARK: Behaviour 1 — an unverified questionnaire answer

    /// A questionnaire answer is not a crisis by itself (001 第二·三是 defines 重大心理危机 by an act): it holds 重点关注,
    /// proposed, with a same-day interview owed.
    @Test func anUnverifiedQuestionnaireAnswerHoldsFocusRoutesAnInterviewTellsNoParentAndRaisesNoRoommate() throws {
        let batch = try records(
            """
            - {id: A, dorm: 7-312, \(Self.answer)}
            - {id: B, dorm: 7-312}
            """)
        let results = engine.assess(batch, asOf: asOf, for: .fullView)
        let focus = try #require(rules.level(named: "focus"))
        #expect(results[0].level.id == "focus" && results[0].status == .new && results[0].confirmedLevel?.id == nil)
        #expect(results[0].informParents == .no && results[0].actions.map(\.id) == ["same_day_interview"])
        #expect(results[0].route == focus.unconfirmed?.route && results[0].response == focus.unconfirmed?.response)
        // The roommate stays where their own record puts them; the batch's scores agree.
        #expect(results[1].level.id == "none" && results[1].escalations.isEmpty)
        let scores = engine.score(batch, asOf: asOf, for: .fullView)
        #expect(scores.level(1).id == "none")
    }

    @Test func anActOfSelfHarmActsAtOnceTellsParentsAndRaisesTheRoommate() throws {
        let batch = try records(
            """
            - {id: A, dorm: 9-201, events: {self_harm_act: [2026-07-15]}}
            - {id: B, dorm: 9-201}
            """)
        let results = engine.assess(batch, asOf: asOf, for: .fullView)
        let crisis = try #require(rules.level(named: "crisis"))
        #expect(results[0].level.id == "crisis" && results[0].status == .new)
        #expect(results[0].informParents == .yes && results[0].route == crisis.route)
        // 003 方案2 §四(一) 第二級別 需要重點干預: the roommate is proposed 重点关注.
        #expect(results[1].level.id == "focus" && results[1].escalations.map(\.id) == ["roommate_exposure"])
        #expect(results[1].status == .new && results[1].informParents == .no)
        #expect(engine.score(batch, asOf: asOf, for: .fullView).level(1).id == "focus")
    }

    /// A person who confirms a crisis after interviewing a student about an answer is obeyed in full (parents told);
    /// the roommates are not raised, since no harmful event happened (003 方案2 §四(一) 直接卷入傷害性事件).
    @Test func aConfirmedCrisisActsInFullButOnlyAnActRaisesTheRoommate() throws {
        let batch = try records(
            """
            - {id: A, dorm: 10-105, \(Self.answer), confirmed_level: crisis, confirmed_on: 2026-07-11, confirmed_by: college_counsellor, confirmed_how: interview}
            - {id: B, dorm: 10-105}
            """)
        let results = engine.assess(batch, asOf: asOf, for: .fullView)
        let crisis = try #require(rules.level(named: "crisis"))
        #expect(results[0].status == .reviewLower && results[0].confirmedLevel?.id == "crisis")
        #expect(results[0].informParents == .yes && results[0].route == crisis.route)
        #expect(results[1].level.id == "none" && results[1].escalations.isEmpty)
        #expect(engine.score(batch, asOf: asOf, for: .fullView).level(1).id == "none")
        // A counsellor's assessed risk (a tendency) acts at once but is no harmful event either.
        let tendency = engine.assess(
            try records(
                """
                - {id: A, dorm: 10-106, self_harm_tendency: true}
                - {id: B, dorm: 10-106}
                """), asOf: asOf, for: .fullView)
        #expect(tendency[0].level.id == "crisis" && tendency[0].informParents == .yes && tendency[1].level.id == "none")
    }

    // MARK: Status

    @Test func aLowerScreeningAsksToReviewTheConfirmedLevelWhichStillActs() throws {
        let result = try assess(
            "{id: A, confirmed_level: focus, confirmed_on: 2026-06-20, confirmed_by: centre, confirmed_how: case_conference}"
        )
        let focus = try #require(rules.level(named: "focus"))
        #expect(result.level.id == "none" && result.status == .reviewLower && result.confirmedLevel?.id == "focus")
        #expect(result.route == focus.route && result.informParents == focus.informParents)
    }

    @Test func aHigherScreeningIsNewAndJoinsTheConfirmedLevelsRoute() throws {
        // Confirmed attention (the grade counsellor acts); screening now proposes focus from an answer: focus acts
        // unconfirmed, and those already acting on attention stay on the route.
        let result = try assess(
            "{id: A, \(Self.answer), confirmed_level: attention, confirmed_on: 2026-07-01, confirmed_by: grade_counsellor, confirmed_how: interview}"
        )
        let attention = try #require(rules.level(named: "attention"))
        let focus = try #require(rules.level(named: "focus"))
        #expect(result.status == .new && result.confirmedLevel?.id == "attention" && result.level.id == "focus")
        #expect(Set(result.route) == Set((focus.unconfirmed?.route ?? []) + attention.route))
        #expect(result.informParents == .withConsent)
    }

    @Test func aClosedCaseStaysClosedUntilARiskFactComesAfterTheClosure() throws {
        let closed = try assess(
            "{id: A, events: {mood_swing_report: [2026-05-02], counsellor_contact: [2026-07-10]}, confirmed_level: attention, confirmed_on: 2026-05-05, closed_on: 2026-06-30}"
        )
        #expect(closed.status == .closed && closed.confirmedLevel?.id == nil && closed.route.isEmpty)
        let reopened = try assess(
            "{id: A, events: {mood_swing_report: [2026-07-12]}, confirmed_level: attention, confirmed_on: 2026-05-05, closed_on: 2026-06-30}"
        )
        #expect(reopened.status == .new && reopened.confirmedLevel?.id == nil && reopened.level.id == "attention")
        // A confirmation after the closure opens a new case.
        let again = try assess(
            "{id: A, events: {mood_swing_report: [2026-07-12]}, confirmed_level: attention, confirmed_on: 2026-07-14, closed_on: 2026-06-30}"
        )
        #expect(again.status == .confirmed && again.confirmedLevel?.id == "attention")
    }

    @Test func aStudentWhoLeftIsRoutedToNobodyAndRaisesNoRoommate() throws {
        let batch = try records(
            """
            - {id: A, dorm: 1-101, events: {self_harm_act: [2026-07-15]}, left_on: 2026-07-01}
            - {id: B, dorm: 1-101}
            """)
        let results = engine.assess(batch, asOf: asOf, for: .fullView)
        #expect(results[0].status == .left && results[0].route.isEmpty && results[0].informParents == .no)
        #expect(results[1].level.id == "none")
    }

    // MARK: Behaviour 7, for confirmations: facts after the as-of date are not yet known

    @Test func aConfirmationOrClosureDatedAfterTheAsOfDateDoesNotCount() throws {
        let later = try assess(
            "{id: A, \(Self.answer), confirmed_level: focus, confirmed_on: 2026-07-25, confirmed_by: college_counsellor, confirmed_how: interview}"
        )
        #expect(later.status == .new && later.confirmedLevel?.id == nil && later.informParents == .no)
        let closedLater = try assess(
            "{id: A, confirmed_level: focus, confirmed_on: 2026-06-01, closed_on: 2026-08-01}")
        #expect(closedLater.status == .reviewLower && closedLater.confirmedLevel?.id == "focus")
    }

    // MARK: Privacy

    @Test func aRoleThatMayNotSeeSensitiveFactsCannotTellAnActFromAProposalByTheRoute() throws {
        // Both students are at focus; only a role that sees sensitive facts may learn that one rests on a diagnosis (a
        // recorded fact: acting at once, the centre on the route, parents with consent) and the other on a
        // questionnaire answer (proposed: an interview first, no parent).
        let act = try assess("{id: A, diagnosed: true, events: {counsellor_contact: [2026-07-19]}}")
        let answer = try assess("{id: A, \(Self.answer)}")
        #expect(act.level.id == "focus" && answer.level.id == "focus")
        let reader = rules.leastPrivilegedRole
        #expect(act.route != answer.route && act.informParents != answer.informParents)
        let (shownAct, shownAnswer) = (act.visible(to: reader), answer.visible(to: reader))
        #expect(shownAct.route == shownAnswer.route && shownAct.informParents == shownAnswer.informParents)
        #expect(shownAct.response == shownAnswer.response)
        #expect(AssessmentFormatting.jsonLine(shownAct) == AssessmentFormatting.jsonLine(shownAnswer))
    }

    // MARK: Outputs

    @Test func everyFormatShowsTheScreeningLevelTheConfirmedLevelAndTheStatus() throws {
        let result = try assess(
            "{id: A, confirmed_level: focus, confirmed_on: 2026-06-20, confirmed_by: centre, confirmed_how: case_conference}"
        )
        let json = AssessmentFormatting.jsonLine(result)
        #expect(json.contains(#""level":"none","confirmed_level":"focus","status":"review_lower","#))
        #expect(
            AssessmentFormatting.csvHeader.hasPrefix(
                "id,college,class,as_of,level,level_zh,level_en,confirmed_level,status,"))
        #expect(AssessmentFormatting.csvRow(result).hasPrefix("A,,,2026-07-20,none,无,None,focus,review_lower,"))
        let table = AssessmentFormatting.assessmentTable([result])
        #expect(table.contains("CONFIRMED") && table.contains("review_lower"))
        #expect(
            result.explanation.contains(
                "case: screening none; confirmed focus (2026-06-20, by centre, case_conference); status review_lower"))
        let unconfirmed = try assess("{id: B}")
        #expect(AssessmentFormatting.jsonLine(unconfirmed).contains(#""confirmed_level":null,"status":"none","#))
    }

    // MARK: Bad input

    @Test func aConfirmedLevelMustBeOneOfTheLevelsAndAConfirmingRoleOneOfTheRoles() throws {
        for (record, expected) in [
            ("{id: A, confirmed_level: severe, confirmed_on: 2026-07-01}", "severe"),
            ("{id: A, confirmed_level: focus, confirmed_on: 2026-07-01, confirmed_by: dean}", "dean"),
            ("{id: A, confirmed_level: focus, confirmed_on: 2026-07-01, confirmed_how: phone}", "phone"),
            ("{id: A, confirmed_level: focus, confirmed_on: 2026-13-01}", "2026-13-01"),
        ] {
            let batch = try RecordReader.readYAML(Array(("- " + record).utf8), file: "t.yaml", schema: rules.schema)
            let error = try #require(batch.rejected.first)
            #expect(batch.records.isEmpty && "\(error)".contains(expected), "\(error)")
        }
    }

    static let levels = """
        roles:
          counsellor: {label: Counsellor, sees_sensitive: true}
        levels:
          - {id: none, label: None}
          - {id: attention, label: Attention, from: 2, route: [counsellor], parents: with_consent}

        """

    @Test(arguments: [
        (
            "schema:\n  fields: {a: boolean}\n  case: {facts: [confirmed_level, confirmed_on, confirmed_when]}\n",
            "found the unknown case fact \"confirmed_when\""
        ),
        (
            "schema:\n  fields: {a: boolean}\n  case: {facts: [confirmed_level]}\n",
            "found confirmed_level without confirmed_on in case: facts; expected both"
        ),
        (
            "schema:\n  fields: {closed_on: date}\n  case: {facts: [closed_on]}\n",
            "found the case fact closed_on, which is also the field declared at"
        ),
        (
            "schema:\n  fields: {a: boolean}\n  case: {facts: [closed_on, closed_on]}\n",
            "found the case fact closed_on twice"
        ),
        (
            "schema:\n  fields: {a: boolean}\n  events: {contact: Contact}\n  case: {facts: [closed_on], staff_events: [contacts]}\n",
            "found the unknown event kind \"contacts\" in staff_events"
        ),
        (
            "schema:\n  fields: {a: boolean}\n  case: {facts: [confirmed_by]}\n",
            "found confirmed_by without confirmed_level"
        ),
        (
            "schema:\n  fields: {a: boolean}\n  cases: {facts: [closed_on]}\n",
            "found the unknown key \"cases\" in schema"
        ),
    ])
    func caseFactsAreCheckedWhenTheRulesLoad(schema: String, message: String) throws {
        let errors = try TestSupport.ruleErrors("ruleset: {id: t}\n" + schema + Self.levels)
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }

    @Test(arguments: [
        (
            "  - {id: focus, label: F, from: 5, route: [counsellor], unconfirmed: {route: [dean]}}\n",
            "found the unknown role \"dean\""
        ),
        (
            "  - {id: focus, label: F, from: 5, route: [counsellor], unconfirmed: {parents: maybe}}\n",
            "found \"maybe\" for parents; expected yes, no or with_consent"
        ),
        (
            "  - {id: focus, label: F, from: 5, route: [counsellor], unconfirmed: {who: [counsellor]}}\n",
            "found the unknown key \"who\" in unconfirmed of level focus"
        ),
    ])
    func anUnconfirmedResponseIsCheckedLikeALevel(level: String, message: String) throws {
        let errors = try TestSupport.ruleErrors(
            "ruleset: {id: t}\nschema:\n  fields: {a: boolean}\n" + Self.levels + level)
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }

    @Test func theLowestLevelHasNoUnconfirmedResponseAndACapDoesNotActAtOnce() throws {
        let lowest = try TestSupport.ruleErrors(
            """
            ruleset: {id: t}
            schema:
              fields: {a: boolean}
            levels:
              - {id: none, label: None, unconfirmed: {parents: no}}
              - {id: attention, label: Attention, from: 2}
            """)
        #expect(lowest.contains { $0.contains("found unconfirmed on the lowest level none") }, "\(lowest)")
        let cap = try TestSupport.ruleErrors(
            "ruleset: {id: t}\nschema:\n  fields: {a: boolean, room: text}\n" + Self.levels
                + "caps:\n  - {id: c, when: a, level: none, acts_at_once: true}\n"
                + "cohort:\n  - {id: k, group_by: room, when_level: attention, level: attention, needs_confirmation: often}\n"
        )
        #expect(cap.contains { $0.contains("found the unknown key \"acts_at_once\" in cap c") }, "\(cap)")
        #expect(cap.contains { $0.contains("needs_confirmation") }, "\(cap)")
    }

    // MARK: Fixtures

    @Test func fixturesCanExpectAStatusAndAConfirmedLevel() throws {
        let text = """
            as_of: 2026-07-20
            students:
              - {id: A, \(Self.answer), expect: {level: focus, status: new, confirmed_level: null}}
              - {id: B, \(Self.answer), expect: {level: focus, status: confirmed, confirmed_level: focus}}
              - {id: C, expect: {level: none, status: verified}}
              - {id: E, confirmed_level: focus, confirmed_on: 2026-06-20, expect: {level: none}}
            """
        let fixture = try FixtureLoader.load(bytes: Array(text.utf8), file: "f.yaml", rules: rules)
        #expect(
            fixture.rejected.count == 1
                && "\(fixture.rejected[0])".contains("for status; expected one of: none, new, confirmed"))
        let report = try Replay(rules: rules).run(fixture)
        #expect(report.mismatches.map(\.studentID) == ["B", "E"])
        // Without a status, the one the level implies with nothing confirmed is expected.
        #expect(report.mismatches.last?.differences == ["status: expected none, got review_lower"])
        let differences = report.mismatches.first?.differences ?? []
        #expect(differences.contains("status: expected confirmed, got new"), "\(differences)")
        #expect(differences.contains("confirmed_level: expected focus, got null"), "\(differences)")
        // Recording writes them only where the level alone does not imply them.
        #expect(
            Expectation(recording: report.results[0].actual).description
                == "{level: focus, fired: [scale_self_harm_item], escalations: [scale_red_flag_interview], actions: [same_day_interview]}"
        )
        let reviewed = try assess(
            "{id: D, confirmed_level: focus, confirmed_on: 2026-06-20, confirmed_by: centre, confirmed_how: case_conference}"
        )
        #expect(
            Expectation(recording: reviewed).description
                == "{level: none, status: review_lower, confirmed_level: focus, fired: [], actions: [focus_follow_up, plan_on_file]}"
        )
    }

    // MARK: Duties (behaviour 6: a staff duty is not the student's risk)

    @Test func anOverdueHalfMonthContactIsTheCounsellorsDutyAndNeverRaisesTheStudent() throws {
        let overdue = try assess("{id: A, diagnosed: true, events: {counsellor_contact: [2026-06-30]}}")
        #expect(overdue.level.id == "focus" && overdue.informParents == .withConsent)
        let duty = try #require(overdue.actions.first)
        #expect(overdue.actions.count == 1 && duty.id == "half_month_contact" && duty.role == "grade_counsellor")
        #expect(duty.due == TestSupport.date("2026-07-15") && duty.overdueDays == 5)
        #expect(duty.reportedTo == "college_counsellor")  // 3 days late: one role up
        // No contact on record at all (students.csv without events.csv): the contact is owed now, and nobody is high.
        let none = try assess("{id: B, diagnosed: true}")
        #expect(none.level.id == "focus" && none.actions.map(\.id) == ["half_month_contact"])
        #expect(none.actions.first?.due == asOf && none.actions.first?.overdueDays == 0)
        #expect(none.actions.first?.reportedTo == "grade_counsellor")
        // Contacted in time: nothing owed before its due date shows as overdue.
        let recent = try assess("{id: C, diagnosed: true, events: {counsellor_contact: [2026-07-12]}}")
        #expect(recent.actions.first?.due == TestSupport.date("2026-07-27") && recent.actions.first?.overdueDays == 0)
    }

    @Test func aSameDayInterviewIsMetByAConfirmationOnOrAfterTheAnswer() throws {
        let owed = try assess("{id: A, \(Self.answer)}")
        #expect(owed.actions.map(\.id) == ["same_day_interview"])
        #expect(owed.actions.first?.overdueDays == 9 && owed.actions.first?.reportedTo == "student_affairs")
        let met = try assess(
            "{id: A, \(Self.answer), confirmed_level: crisis, confirmed_on: 2026-07-10, confirmed_by: college_counsellor, confirmed_how: interview}"
        )
        #expect(!met.actions.map(\.id).contains("same_day_interview"))
        let before = try assess(
            "{id: A, \(Self.answer), confirmed_level: none, confirmed_on: 2026-07-01, confirmed_by: college_counsellor, confirmed_how: interview}"
        )
        #expect(before.actions.map(\.id) == ["same_day_interview"])
    }

    @Test func aConfirmedFocusOwesAFollowUpFromTheLaterOfTheConfirmationAndTheLatestContact() throws {
        let confirmed = try assess(
            "{id: A, confirmed_level: high, confirmed_on: 2026-07-01, events: {counsellor_contact: [2026-07-10]}}")
        // A plan (一人一案) is owed too: the record holds no next follow-up yet.
        #expect(confirmed.actions.map(\.id) == ["focus_follow_up", "plan_on_file"])
        #expect(confirmed.actions.first?.due == TestSupport.date("2026-07-25"))
        let attention = try assess("{id: A, confirmed_level: attention, confirmed_on: 2026-07-01}")
        #expect(attention.actions.isEmpty)
        let left = try assess("{id: A, diagnosed: true, left_on: 2026-07-01}")
        #expect(left.status == .left && left.actions.isEmpty)
    }

    @Test func aDutyBehindASensitiveFactIsShownOnlyToRolesThatMaySeeIt() throws {
        let owed = try assess("{id: A, \(Self.answer)}")
        let shown = owed.visible(to: rules.leastPrivilegedRole)
        #expect(shown.actions.isEmpty)
        #expect(AssessmentFormatting.jsonLine(shown).contains(#""actions":[]"#))
        #expect(owed.visible(to: try #require(rules.role(named: "centre"))).actions.map(\.id) == ["same_day_interview"])
        let full = AssessmentFormatting.jsonLine(owed)
        #expect(
            full.contains(
                #""actions":[{"id":"same_day_interview","role":"college_counsellor","reported_to":"student_affairs","due":"2026-07-11","overdue_days":9}]"#
            ))
        #expect(
            AssessmentFormatting.csvRow(owed).contains(
                "same_day_interview (college_counsellor, due 2026-07-11, 9 days overdue, reported to student_affairs)"))
        #expect(owed.explanation.contains("owed same_day_interview"))
    }

    @Test func aDutyMayBeDueByADate() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: t}
            schema:
              fields: {review_on: {type: date, scheduled: true}, flagged: boolean}
            roles:
              counsellor: {label: Counsellor, sees_sensitive: true}
              centre: {label: Centre, sees_sensitive: true}
            levels:
              - {id: none, label: None}
              - {id: attention, label: Attention, from: 2, route: [counsellor]}
            indicators:
              - {id: flag, label: Flag, dimension: observable, when: flagged, points: 2}
            actions:
              - {id: review, when: flagged, role: counsellor, by: review_on, climb: [2]}
            """
        ])
        let rules = try RuleSet.load(from: path)
        let engine = try ScoringEngine(rules: rules)
        let record = try #require(
            try TestSupport.records("- {id: A, flagged: true, review_on: 2026-07-10}", schema: rules.schema).first)
        let result = engine.assess(record, asOf: asOf, for: .fullView)
        #expect(result.actions.first?.due == TestSupport.date("2026-07-10") && result.actions.first?.overdueDays == 10)
        #expect(result.actions.first?.reportedTo == "centre")
        #expect(result.level.id == "attention")
    }

    @Test(arguments: [
        ("{id: d, when: a, role: counsellor}", "found no due date on action d"),
        ("{id: d, when: a, role: counsellor, within: 3, by: b}", "found both within and by on action d"),
        ("{id: d, when: a, role: dean, within: 3}", "found \"dean\" for role; expected one of the roles"),
        ("{id: d, role: counsellor, within: 3}", "found no condition on action d"),
        ("{id: d, when: a, role: counsellor, within: 2.5}", "expected a whole number of days"),
        ("{id: d, when: a, role: counsellor, within: 3, climb: [5, 2]}", "expected overdue days rising step by step"),
        (
            "{id: d, when: a, role: centre, within: 3, climb: [1]}",
            "found 1 climbing steps from centre; expected at most 0"
        ),
        ("{id: d, when: a, role: counsellor, within: 3, after: [a]}", "which is not a date, in action d"),
        ("{id: d, when: a, role: counsellor, by: b, after: [b]}", "found after with by on action d"),
        ("{id: d, when: a, role: counsellor, within: 3, when_confirmed: severe}", "for when_confirmed"),
        ("{id: d, when: a, role: counsellor, within: 3, due: 4}", "found the unknown key \"due\" in action d"),
    ])
    func dutiesAreCheckedWhenTheRulesLoad(action: String, message: String) throws {
        let errors = try TestSupport.ruleErrors(
            """
            ruleset: {id: t}
            schema:
              fields: {a: boolean, b: date}
            roles:
              counsellor: {label: Counsellor, sees_sensitive: true}
              centre: {label: Centre, sees_sensitive: true}
            levels:
              - {id: none, label: None}
              - {id: attention, label: Attention, from: 2, route: [counsellor]}
            actions:
              - \(action)
            """)
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }

    @Test func planDatesAreReadAsGivenAndFactDatesAfterTheAsOfDateAreNotYetKnown() throws {
        let plan = try assess("{id: A, next_follow_up: 2026-08-03}")
        #expect(plan.actions.map(\.id) == ["planned_follow_up"])
        #expect(plan.actions.first?.due == TestSupport.date("2026-08-03") && plan.actions.first?.overdueDays == 0)
        // A leave that begins after the as-of date is not known yet: nothing is owed for it.
        let future = try assess(
            "{id: A, leave_from: 2026-08-01, leave_reason: psychological, planned_return: 2026-09-01}")
        #expect(future.actions.isEmpty)
        let onLeave = try assess(
            "{id: A, leave_from: 2026-07-01, leave_reason: psychological, planned_return: 2026-09-01}")
        #expect(onLeave.actions.map(\.id) == ["leave_home_visit", "readmission_review"])
        #expect(onLeave.actions.first?.reportedTo == "centre" && onLeave.level.id == "none")
        // A visit since the leave began meets the week's visit; the return alone does not meet the readmission review,
        // which is owed until a review is on record since the leave began (004 §四(一)4 综合评估).
        let returned = try assess(
            "{id: A, leave_from: 2026-07-01, leave_reason: psychological, planned_return: 2026-07-15, events: {counsellor_contact: [2026-07-03], psych_leave_return: [2026-07-16]}}"
        )
        #expect(returned.actions.map(\.id) == ["readmission_review"] && returned.actions.first?.overdueDays == 5)
        let visited = try assess(
            "{id: A, leave_from: 2026-07-01, leave_reason: psychological, planned_return: 2026-07-15, readmission_reviewed_on: 2026-07-14, events: {counsellor_contact: [2026-07-03], psych_leave_return: [2026-07-16]}}"
        )
        #expect(visited.actions.isEmpty)
        let reviewedBefore = try assess(
            "{id: A, leave_from: 2026-07-01, leave_reason: psychological, planned_return: 2026-07-15, readmission_reviewed_on: 2026-06-01, events: {counsellor_contact: [2026-07-03], psych_leave_return: [2026-07-16]}}"
        )
        #expect(reviewedBefore.actions.map(\.id) == ["readmission_review"])
        // Back without a planned return on record and without a review: the review is owed at once.
        let noPlan = try assess(
            "{id: A, leave_from: 2026-07-01, leave_reason: psychological, events: {counsellor_contact: [2026-07-03], psych_leave_return: [2026-07-16]}}"
        )
        #expect(noPlan.actions.map(\.id) == ["readmission_review"] && noPlan.actions.first?.due == asOf)
        #expect(rules.schema.field(named: "planned_return").map(\.scheduled) == true)
        #expect(rules.schema.field(named: "leave_reason").map(\.sensitive) == true)
    }

    @Test func aScreeningIsOwedAfterASpecialEventUntilAScaleIsTakenAfterIt() throws {
        let owed = try assess("{id: A, events: {campus_incident: [2026-07-10]}}")
        #expect(owed.actions.map(\.id) == ["post_incident_screening"])
        #expect(owed.actions.first?.due == TestSupport.date("2026-07-17") && owed.actions.first?.reportedTo == "centre")
        let before = try assess(
            "{id: A, events: {campus_incident: [2026-07-10]}, scales: [{scale: gad7, date: 2026-07-01, items: [0, 0, 0, 0, 0, 0, 0]}]}"
        )
        #expect(before.actions.map(\.id) == ["post_incident_screening"])
        let after = try assess(
            "{id: A, events: {campus_incident: [2026-07-10]}, scales: [{scale: gad7, date: 2026-07-10, items: [0, 0, 0, 0, 0, 0, 0]}]}"
        )
        #expect(after.actions.isEmpty)
    }

    @Test func dateOfGivesTheLatestEventsDateAndTakesOnlyAnEventKind() throws {
        let errors = try TestSupport.ruleErrors(
            "ruleset: {id: t}\nschema:\n  fields: {a: boolean, b: date}\n  events: {visit: Visit}\n" + Self.levels
                + "indicators:\n  - {id: i, label: I, dimension: observable, points: 2, when: \"date_of(b) > b\"}\n"
                + "  - {id: j, label: J, dimension: observable, points: 2, when: \"date_of(visit) > 3\"}\n")
        #expect(errors.contains { $0.contains("found the unknown event kind \"b\"") }, "\(errors)")
        #expect(errors.contains { $0.contains("in the condition of j: found a date > a number") }, "\(errors)")
    }

    @Test func leaveFactsNeedTheLeaveStart() throws {
        let errors = try TestSupport.ruleErrors(
            "ruleset: {id: t}\nschema:\n  fields: {a: boolean}\n  case: {facts: [leave_reason, planned_return]}\n"
                + Self.levels)
        #expect(errors.contains { $0.contains("found leave_reason without leave_from") }, "\(errors)")
        #expect(errors.contains { $0.contains("found planned_return without leave_from") }, "\(errors)")
    }

    // MARK: Review findings (each pinned)

    @Test func aRetestWithoutTheAnswerNeitherMovesNorMeetsTheSameDayInterview() throws {
        let answer = "{scale: phq9, date: 2026-07-10, items: [0, 0, 0, 0, 0, 0, 0, 0, 2]}"
        let retest = "{scale: phq9, date: 2026-07-12, items: [0, 0, 0, 0, 0, 0, 0, 0, 0]}"
        let owed = try assess("{id: A, scales: [\(answer), \(retest)]}")
        #expect(owed.actions.first?.due == TestSupport.date("2026-07-11") && owed.actions.first?.overdueDays == 9)
        // A person saw the student after the answer and before the retest: met.
        let seen = try assess(
            "{id: A, scales: [\(answer), \(retest)], confirmed_level: focus, confirmed_on: 2026-07-11, confirmed_by: college_counsellor, confirmed_how: interview}"
        )
        #expect(!seen.actions.map(\.id).contains("same_day_interview"))
    }

    @Test func aRiskFactOnTheClosuresDayOrALeaveAfterItReopensTheCase() throws {
        let sameDay = try assess(
            "{id: A, confirmed_level: crisis, confirmed_on: 2026-07-01, closed_on: 2026-07-01, events: {self_harm_act: [2026-07-01]}}"
        )
        #expect(sameDay.status == .new && sameDay.informParents == .yes)
        let leave = try assess(
            "{id: A, confirmed_level: focus, confirmed_on: 2026-06-01, closed_on: 2026-06-10, leave_from: 2026-07-01, leave_reason: psychological}"
        )
        #expect(leave.status != .closed)
    }

    @Test func aCaseReopenedOnlyByAHiddenFactStaysClosedForARoleThatMayNotSeeIt() throws {
        let reopened = try assess(
            "{id: A, confirmed_level: focus, confirmed_on: 2026-06-01, closed_on: 2026-06-10, scales: [{scale: phq9, date: 2026-07-01, items: [0, 0, 0, 0, 0, 0, 0, 0, 0]}]}"
        )
        let untouched = try assess("{id: A, confirmed_level: focus, confirmed_on: 2026-06-01, closed_on: 2026-06-10}")
        let reader = rules.leastPrivilegedRole
        #expect(reopened.status == .none && untouched.status == .closed)
        #expect(reopened.visible(to: reader).status == .closed && untouched.visible(to: reader).status == .closed)
        #expect(
            AssessmentFormatting.jsonLine(reopened.visible(to: reader)).replacingOccurrences(
                of: "\"id\":\"A\"", with: "")
                == AssessmentFormatting.jsonLine(untouched.visible(to: reader)).replacingOccurrences(
                    of: "\"id\":\"A\"", with: ""))
    }

    @Test(arguments: [
        (
            "{id: A, confirmed_level: crisis, confirmed_by: centre}",
            #"{"id": "A", "confirmed_level": "crisis", "confirmed_by": "centre"}"#,
            "found confirmed_level without confirmed_on"
        ),
        (
            "{id: A, confirmed_on: 2026-07-01}", #"{"id": "A", "confirmed_on": "2026-07-01"}"#,
            "found confirmed_on without confirmed_level"
        ),
        (
            "{id: A, confirmed_how: interview}", #"{"id": "A", "confirmed_how": "interview"}"#,
            "found confirmed_how without confirmed_level"
        ),
        (
            "{id: A, leave_reason: psychological}", #"{"id": "A", "leave_reason": "psychological"}"#,
            "found leave_reason without leave_from"
        ),
    ])
    func aCaseFactWithoutTheFactItNeedsIsRefusedByEveryReader(yaml: String, json: String, message: String) throws {
        let fromYAML = try RecordReader.readYAML(Array(("- " + yaml).utf8), file: "t.yaml", schema: rules.schema)
        #expect(fromYAML.records.isEmpty && "\(fromYAML.rejected.first.map { "\($0)" } ?? "")".contains(message))
        // JSON Lines: the fast path steps aside and the careful path names the missing fact.
        let fromJSON = RecordReader.readJSONLines(Array((json + "\n").utf8), file: "t.jsonl", schema: rules.schema)
        #expect(fromJSON.records.isEmpty && "\(fromJSON.rejected.first.map { "\($0)" } ?? "")".contains(message))
    }

    @Test func aStudentWhoLeftNeitherTriggersNorIsRaisedByACohortRuleThatNeedsNoConfirmation() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: t}
            schema:
              fields: {alarm: boolean, dorm: text}
              case: {facts: [left_on]}
            roles:
              counsellor: {label: Counsellor, sees_sensitive: true}
            levels:
              - {id: none, label: None}
              - {id: attention, label: Attention, from: 2, route: [counsellor]}
            indicators:
              - {id: alarmed, label: A, dimension: observable, when: alarm, points: 2}
            cohort:
              - {id: dorm_rule, group_by: dorm, when_level: attention, level: attention}
            """
        ])
        let rules = try RuleSet.load(from: path)
        let engine = try ScoringEngine(rules: rules)
        let records = try TestSupport.records(
            """
            - {id: GONE, alarm: true, dorm: D1, left_on: 2026-07-01}
            - {id: MATE, dorm: D1}
            - {id: HERE, alarm: true, dorm: D2}
            - {id: GONE2, dorm: D2, left_on: 2026-07-01}
            - {id: MATE2, dorm: D2}
            """, schema: rules.schema)
        let results = engine.assess(records, asOf: asOf, for: .fullView)
        #expect(results.map(\.level.id) == ["attention", "none", "attention", "none", "attention"])
        let scores = engine.score(records, asOf: asOf, for: .fullView)
        #expect((0..<5).map { scores.level($0).id } == ["attention", "none", "attention", "none", "attention"])
    }

    @Test func aDutyThatReadsTheScoreOrCountsFiredIndicatorsIsHiddenLikeOneThatReadsASensitiveFact() throws {
        let path = try TestSupport.directory([
            "rules.yaml": """
            ruleset: {id: t}
            schema:
              fields: {a: boolean, secret: {type: boolean, sensitive: true}}
            roles:
              liaison: {label: Liaison}
              counsellor: {label: Counsellor, sees_sensitive: true}
            levels:
              - {id: none, label: None}
              - {id: attention, label: Attention, from: 2, route: [counsellor]}
            indicators:
              - {id: hidden, label: H, dimension: clinical, when: secret, points: 2}
              - {id: shown, label: S, dimension: observable, when: a, points: 1}
            actions:
              - {id: by_score, when: "score >= 2", role: counsellor, within: 3}
              - {id: by_count, when: "fired_count(clinical) >= 1", role: counsellor, within: 3}
              - {id: plain, when: a, role: counsellor, within: 3}
            """
        ])
        let rules = try RuleSet.load(from: path)
        #expect(rules.actions.map(\.isSensitive) == [true, true, false])
    }

}

/// Properties of the case model over generated cohorts (which carry confirmations and closures for some students).
@Suite struct CaseModelPropertyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let caseKeys: Set<String> = Set(CaseFacts.Fact.allCases.map(\.rawValue))

    /// What a counsellor acts on for one student, as text.
    static func acted(_ assessment: Assessment) -> String {
        "\(assessment.level) \(assessment.confirmedLevel?.id ?? "-") \(assessment.status) \(assessment.route) "
            + "\(assessment.informParents) \(assessment.actions.map { "\($0.id)@\($0.due)>\($0.reportedTo)" })"
    }

    @Test(arguments: ["2026-09-15", "2026-12-28"])
    func assessmentsDoNotDependOnTheOrderOfTheStudents(day: String) throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: rules)
        let asOf = TestSupport.date(day)
        let records = SyntheticCohort(rules: rules, seed: 41, asOf: asOf).records(0..<3_000)
        let forward = engine.assess(records, asOf: asOf, for: .fullView)
        let backward = engine.assess(records.reversed(), asOf: asOf, for: .fullView)
        let byID = Dictionary(uniqueKeysWithValues: backward.map { ($0.studentID, Self.acted($0)) })
        #expect(forward.allSatisfy { byID[$0.studentID] == Self.acted($0) })
        // The cohort means something: confirmations, statuses beyond new and none, and duties occur.
        #expect(forward.contains { $0.status == .confirmed } && forward.contains { $0.status == .reviewLower })
        #expect(forward.contains { !$0.actions.isEmpty })
    }

    @Test func caseFactsNeverChangeWhatScreeningProposesForAStudentAlone() throws {
        let rules = try RuleSet.load(from: Self.root + "/Rules/campus-default")
        let engine = try ScoringEngine(rules: rules)
        let asOf = TestSupport.date("2026-11-23")
        let cohort = SyntheticCohort(rules: rules, seed: 43, asOf: asOf)
        var withFacts = ""
        var withoutFacts = ""
        var confirmed = 0
        for index in 0..<3_000 {
            let line = cohort.jsonLine(index)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if object["confirmed_level"] != nil { confirmed += 1 }
            let stripped = object.filter { !Self.caseKeys.contains($0.key) }
            withFacts += line + "\n"
            withoutFacts +=
                String(
                    decoding: try JSONSerialization.data(withJSONObject: stripped, options: [.sortedKeys]),
                    as: UTF8.self)
                + "\n"
        }
        let a = RecordReader.readJSONLines(Array(withFacts.utf8), file: "a.jsonl", schema: rules.schema).records
        let b = RecordReader.readJSONLines(Array(withoutFacts.utf8), file: "b.jsonl", schema: rules.schema).records
        #expect(a.count == 3_000 && b.count == 3_000 && confirmed > 50)
        for (x, y) in zip(a, b) {
            // One student at a time: no cohort rule, so the screening is the record's own.
            let (left, right) = (
                engine.assess(x, asOf: asOf, for: .fullView), engine.assess(y, asOf: asOf, for: .fullView)
            )
            #expect(left.level == right.level && left.score == right.score)
            #expect(
                left.fired.map(\.id) == right.fired.map(\.id)
                    && left.escalations.map(\.id) == right.escalations.map(\.id))
        }
        // In a batch, a confirmation can only add roommate exposure (a cohort rule that needs one), never remove it.
        let batchA = engine.assess(a, asOf: asOf, for: .fullView)
        let batchB = engine.assess(b, asOf: asOf, for: .fullView)
        #expect(zip(batchA, batchB).allSatisfy { $0.levelRank >= $1.levelRank })
    }
}
