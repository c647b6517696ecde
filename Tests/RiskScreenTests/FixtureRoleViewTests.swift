import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Fixture expectations of the route, the parent notice and what a role is shown (`route:`, `parents:`, `seen_by:`;
/// issue 12, point 5).
@Suite struct FixtureRoleViewTests {
    /// Student S1 of the test rules: two nights away (`night_absence`, 2 points) and a family change (`family_change`,
    /// 3 points, read from a sensitive event): score 5, attention, routed to the dorm liaison, the class committee
    /// member and the counsellor, parents not told. The dorm liaison sees no sensitive facts: it is shown the nights
    /// away, that something is withheld, and no score.
    static let student = """
        id: S1
            events: {night_absence: [2026-11-01, 2026-11-10], family_change: [2026-10-01]}
        """

    /// The attention route of the test rules.
    static let attentionRoute = "[dorm_liaison, class_committee, counsellor]"

    /// Student S1 in a fixture of the test rules, expecting `expect`, loaded.
    func fixture(expecting expect: String, student: String = Self.student) throws -> Fixture {
        let text = """
            rules: \(TestSupport.campusRules)
            as_of: 2026-11-23
            students:
              - \(student)
                expect: \(expect)

            """
        let directory = try TestSupport.directory(["f.yaml": text])
        return try FixtureLoader.load(directory + "/f.yaml", rules: try TestSupport.loadCampus())
    }

    /// The differences replay finds for S1 expecting `expect`; the fixture must load.
    func differences(expecting expect: String, student: String = Self.student) throws -> [String] {
        let fixture = try fixture(expecting: expect, student: student)
        #expect(fixture.rejected.map(\.message) == [])
        let report = try Replay(rules: try TestSupport.loadCampus()).run(fixture)
        return try #require(report.results.first).differences
    }

    @Test func theRouteParentsAndRoleViewsAreReadAsWrittenInTheOrderWritten() throws {
        let fixture = try fixture(
            expecting: """
                {level: attention, route: [counsellor, dorm_liaison], parents: with_consent,
                      seen_by: {dorm_liaison: {level: attention, route: [], parents: no, fired: [night_absence],
                                               withheld: true, score: withheld},
                                counsellor: {fired: [], score: 5.5}}}
                """)
        #expect(fixture.rejected.map(\.message) == [])
        let expectation = try #require(fixture.cases.first?.expectation)
        #expect(expectation.route == ["counsellor", "dorm_liaison"])
        #expect(expectation.parents == .withConsent)
        #expect(
            expectation.seenBy == [
                Expectation.RoleView(
                    role: "dorm_liaison", level: "attention", route: [], parents: .no, fired: ["night_absence"],
                    withheld: true, score: .withheld),
                Expectation.RoleView(role: "counsellor", fired: [], score: .value(5.5)),
            ])
        // Not given, not expected: nothing is compared.
        let plain = try #require(try self.fixture(expecting: "{level: attention}").cases.first?.expectation)
        #expect(plain.route == nil && plain.parents == nil && plain.seenBy == nil)
    }

    @Test func theRouteParentsAndEachRolesViewAsTheEngineGivesThemMatch() throws {
        let differences = try differences(
            expecting: """
                {level: attention, route: \(Self.attentionRoute), parents: no,
                      seen_by: {dorm_liaison: {level: attention, route: \(Self.attentionRoute), parents: no,
                                               fired: [night_absence], withheld: true, score: withheld},
                                counsellor: {fired: [family_change, night_absence], withheld: false, score: 5}}}
                """)
        #expect(differences == [])
    }

    @Test func aStudentAtFocusByAScaleIsRoutedToTheCentreWithParentsToldAndTheDormLiaisonIsShownOnlyTheLevel() throws {
        // A PHQ-9 of 15 (moderately severe, 6 points) alone: focus, capped there. A scale is sensitive unless declared
        // otherwise, so the dorm liaison is shown the level, the route and the parent notice, and nothing fired.
        let student = """
            id: S2
                scales:
                  - {scale: phq9, date: 2026-10-01, items: [2, 2, 2, 2, 2, 2, 2, 1, 0]}
            """
        let differences = try differences(
            expecting: """
                {level: focus, route: [class_committee, counsellor, centre], parents: yes,
                      seen_by: {dorm_liaison: {route: [class_committee, counsellor, centre], parents: yes,
                                               fired: [], withheld: true, score: withheld},
                                class_committee: {level: focus, fired: [], withheld: true},
                                centre: {fired: [positive_scale], withheld: false, score: 6}}}
                """,
            student: student)
        #expect(differences == [])
    }

    @Test(arguments: [
        ("route: [counsellor]", "route: expected [counsellor], got \(attentionRoute)"),
        ("route: []", "route: expected [], got \(attentionRoute)"),
        (
            "route: [counsellor, class_committee, dorm_liaison]",
            "route: expected [counsellor, class_committee, dorm_liaison], got \(attentionRoute)"
        ),
        ("parents: yes", "parents: expected yes, got no"),
        ("seen_by: {dorm_liaison: {level: focus}}", "seen_by: dorm_liaison level expected focus, got attention"),
        (
            "seen_by: {dorm_liaison: {route: [centre]}}",
            "seen_by: dorm_liaison route expected [centre], got \(attentionRoute)"
        ),
        (
            "seen_by: {dorm_liaison: {parents: with_consent}}",
            "seen_by: dorm_liaison parents expected with_consent, got no"
        ),
        (
            "seen_by: {dorm_liaison: {fired: [night_absence, family_change]}}",
            "seen_by: dorm_liaison fired: expected but absent: family_change"
        ),
        (
            "seen_by: {counsellor: {fired: [night_absence]}}",
            "seen_by: counsellor fired: present but not expected: family_change"
        ),
        ("seen_by: {dorm_liaison: {withheld: false}}", "seen_by: dorm_liaison withheld expected false, got true"),
        ("seen_by: {counsellor: {withheld: true}}", "seen_by: counsellor withheld expected true, got false"),
        ("seen_by: {dorm_liaison: {score: 5}}", "seen_by: dorm_liaison score expected 5, got withheld"),
        ("seen_by: {counsellor: {score: withheld}}", "seen_by: counsellor score expected withheld, got 5"),
        ("seen_by: {counsellor: {score: 4.5}}", "seen_by: counsellor score expected 4.5, got 5"),
    ])
    func aWrongRouteParentNoticeOrRoleViewIsOneSentenceNamingTheRoleAndWhatWasFound(part: String, message: String)
        throws
    {
        #expect(try differences(expecting: "{level: attention, \(part)}") == [message])
    }

    @Test func aViewOfARoleTheComparisonIsNotGivenIsADifferenceNotASilentMatch() throws {
        let fixture = try fixture(expecting: "{level: attention, seen_by: {centre: {level: attention}}}")
        let replay = try Replay(rules: try TestSupport.loadCampus())
        let result = try #require(replay.run(fixture).results.first)
        let expectation = try #require(result.expected)
        #expect(expectation.differences(from: result.actual, roles: replay.engine.rules.roles) == [])
        #expect(
            expectation.differences(from: result.actual) == [
                "seen_by: centre: expected a view for it, and the rule set has no such role"
            ])
    }

    @Test(arguments: [
        (
            "route: [dorm_liasion]",
            "found \"dorm_liasion\" in route; expected one of: dorm_liaison, class_committee, counsellor, centre (did you mean \"dorm_liaison\"?)"
        ),
        ("route: counsellor", "found \"counsellor\" for route; expected a list of roles ([] for none)"),
        (
            "route: [[counsellor]]",
            "found a list in route; expected one of: dorm_liaison, class_committee, counsellor, centre"
        ),
        ("parents: maybe", "found \"maybe\" for parents; expected one of: yes, no, with_consent"),
        (
            "parents: with_consnt",
            "found \"with_consnt\" for parents; expected one of: yes, no, with_consent (did you mean \"with_consent\"?)"
        ),
        ("parents: [yes]", "found a list for parents; expected one of: yes, no, with_consent"),
        (
            "seen_by: [dorm_liaison]",
            "found a list for seen_by; expected a mapping of roles to {level, route, parents, fired, withheld, score}"
        ),
        (
            "seen_by: {dorm_liasion: {level: none}}",
            "found the unknown role \"dorm_liasion\" in seen_by; expected one of: dorm_liaison, class_committee, counsellor, centre (did you mean \"dorm_liaison\"?)"
        ),
        (
            "seen_by: {counsellor: {}}",
            "found an empty mapping for counsellor in seen_by; expected a mapping of one or more of {level, route, parents, fired, withheld, score}"
        ),
        (
            "seen_by: {counsellor: attention}",
            "found \"attention\" for counsellor in seen_by; expected a mapping of one or more of {level, route, parents, fired, withheld, score}"
        ),
        (
            "seen_by: {counsellor: {leve: none}}",
            "found the unknown key \"leve\" in seen_by: counsellor; expected level, route, parents, fired, withheld, score (did you mean \"level\"?)"
        ),
        (
            "seen_by: {counsellor: {level: attentoin}}",
            "found \"attentoin\" for level of seen_by: counsellor; expected one of: none, attention, focus, high, crisis (did you mean \"attention\"?)"
        ),
        (
            "seen_by: {counsellor: {route: [centr]}}",
            "found \"centr\" in route of seen_by: counsellor; expected one of: dorm_liaison, class_committee, counsellor, centre (did you mean \"centre\"?)"
        ),
        (
            "seen_by: {counsellor: {parents: true}}",
            "found \"true\" for parents of seen_by: counsellor; expected one of: yes, no, with_consent"
        ),
        (
            "seen_by: {counsellor: {fired: [night_absense]}}",
            "found \"night_absense\" in fired of seen_by: counsellor; expected an id of the rule set (did you mean \"night_absence\"?)"
        ),
        (
            "seen_by: {counsellor: {fired: night_absence}}",
            "found \"night_absence\" for fired of seen_by: counsellor; expected a list of ids"
        ),
        (
            "seen_by: {counsellor: {withheld: yes}}",
            "found \"yes\" for withheld of seen_by: counsellor; expected true or false"
        ),
        (
            "seen_by: {counsellor: {withheld: [true]}}",
            "found a list for withheld of seen_by: counsellor; expected true or false"
        ),
        (
            "seen_by: {counsellor: {score: high}}",
            "found \"high\" for score of seen_by: counsellor; expected a number or withheld"
        ),
        (
            "seen_by: {counsellor: {score: null}}",
            "found nothing for score of seen_by: counsellor; expected a number or withheld"
        ),
    ])
    func aWrongRouteParentNoticeOrRoleViewIsRefusedWithWhatWasExpected(part: String, message: String) throws {
        let fixture = try fixture(expecting: "{level: attention, \(part)}")
        #expect(fixture.cases.isEmpty)
        #expect(fixture.rejected.map(\.message) == [message])
        #expect(fixture.rejected.map(\.studentID) == ["S1"])
    }

    @Test func anUnknownRoleIsRefusedAtItsOwnPlace() throws {
        // Line 6 is `expect:`, in block style; the misspelt role is the second of seen_by's, on line 10.
        let fixture = try fixture(
            expecting: "\n      level: attention\n      seen_by:\n        counsellor: {level: attention}"
                + "\n        dorm_liasion: {level: attention}")
        let rejected = try #require(fixture.rejected.first)
        #expect(rejected.location.line == 10 && rejected.location.column == 9)
    }

    @Test func aRoleIsRefusedByARuleSetThatDeclaresNone() throws {
        let rules = try RuleSet.load(from: TestSupport.testsDirectory + "/Rules/test-rubric")
        let text = """
            as_of: 2026-11-23
            students:
              - {id: R1, expect: {level: low, route: [counsellor]}}
              - {id: R2, expect: {level: low, route: []}}

            """
        let directory = try TestSupport.directory(["f.yaml": text])
        let fixture = try FixtureLoader.load(directory + "/f.yaml", rules: rules)
        #expect(
            fixture.rejected.map(\.message) == [
                "found \"counsellor\" in route; expected no role, as the rule set test-rubric declares none"
            ])
        #expect(fixture.cases.map(\.expectation?.route) == [[]])
    }

    @Test func recordingRewritesTheRouteParentsAndRoleViewsTheFixtureExpectedWithTheValuesOfNow() throws {
        let fixture = try fixture(
            expecting: """
                {level: none, route: [], parents: yes,
                      seen_by: {dorm_liaison: {withheld: false, score: 1}, class_committee: {route: [centre], fired: []}}}
                """)
        let replay = try Replay(rules: try TestSupport.loadCampus())
        let (text, changes) = try replay.record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        // The same keys as before, for the same roles, with the values of now.
        #expect(
            written.contains(
                "expect: {level: attention, fired: [night_absence, family_change], route: \(Self.attentionRoute), parents: no, seen_by: {dorm_liaison: {withheld: true, score: withheld}, class_committee: {route: \(Self.attentionRoute), fired: [night_absence]}}}"
            ))
        #expect(changes.count == 1)
        // The rewritten file reads back to the recorded expectation, which the engine meets.
        let directory = try TestSupport.directory(["f.yaml": written])
        let reread = try FixtureLoader.load(directory + "/f.yaml", rules: replay.engine.rules)
        #expect(reread.cases[0].expectation == changes[0].after)
        #expect(replay.run(reread).results[0].differences == [])
    }

    @Test func recordingNeverAddsARouteParentsOrRoleViewsTheFixtureDidNotExpect() throws {
        let fixture = try fixture(expecting: "{level: none}")
        let (text, _) = try Replay(rules: try TestSupport.loadCampus()).record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        #expect(written.contains("expect: {level: attention, fired: [night_absence, family_change]}\n"))
    }

    @Test func recordingKeepsAScoreShownToARoleThatSeesSensitiveFactsAsANumber() throws {
        let fixture = try fixture(
            expecting: "{level: attention, seen_by: {counsellor: {score: withheld}, dorm_liaison: {score: 0}}}")
        let replay = try Replay(rules: try TestSupport.loadCampus())
        let (text, _) = try replay.record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        #expect(written.contains("seen_by: {counsellor: {score: 5}, dorm_liaison: {score: withheld}}}"))
    }
}
