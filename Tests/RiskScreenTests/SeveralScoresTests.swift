import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring

/// Rule sets with several scores (`scores:`): each indicator adds to one, each score reaches levels by its own
/// thresholds, and the level before caps and escalations is combined from the scores' levels.
@Suite struct SeveralScoresTests {
    static let rulesPath = TestSupport.testsDirectory + "/Rules/two-scores"
    let asOf = TestSupport.date("2026-11-23")

    func engine() throws -> ScoringEngine { try ScoringEngine(rules: RuleSet.load(from: Self.rulesPath)) }

    func assess(_ yaml: String, engine: ScoringEngine) throws -> Assessment {
        let record = try #require(try TestSupport.records("- " + yaml, schema: engine.rules.schema).first)
        return engine.assess(record, asOf: asOf, for: .fullView)
    }

    /// A rule set of two scores whose `levels:` and `combine:` (and extra sections) are given.
    static func ruleSet(levels: String = defaultLevels, extra: String = "", scoreOfThreat: String = "others")
        -> String
    {
        """
        schema:
          fields:
            sad: boolean
            threats: boolean
        scores:
          - {id: self, label: Risk to self}
          - {id: others, label: Risk to others}

        """ + levels
            + """
            indicators:
              - id: sadness
                label: Sadness
                dimension: observable
                score: self
                when: "sad"
                points: 2
              - id: threatening
                label: Threatening
                dimension: observable
                score: \(scoreOfThreat)
                when: "threats"
                points: 2

            """ + extra
    }

    static let defaultLevels = """
        levels:
          - id: none
          - id: attention
            from: {self: 1, others: 1}
          - id: focus
            from: {self: 2, others: 2}

        """

    @Test func aTwoScoreRuleSetLoadsEachScoreWithItsOwnThresholdsAndIndicators() throws {
        let rules = try RuleSet.load(from: Self.rulesPath)
        #expect(rules.scores.map(\.id) == ["self", "others"])
        #expect(rules.scores[0].label.en == "Risk to self")
        // none, attention, focus, high, crisis (rules only).
        #expect(rules.scores[0].thresholds == [-.infinity, 2, 4, 6, .infinity])
        #expect(rules.scores[1].thresholds == [-.infinity, 2, 3, .infinity, .infinity])
        #expect(
            rules.indicators.map(\.id) == [
                "thoughts", "hopelessness", "threatening", "fighting", "diary", "has_mentor",
            ])
        #expect(rules.indicatorScores == [0, 0, 1, 1, 0, 1])
        guard case .table(let table, let levelCount) = rules.scoreCombination else {
            Issue.record("expected a combination table")
            return
        }
        #expect(levelCount == 5)
        // focus (2) and focus (2) give high (3); focus and attention the highest, focus.
        #expect(table[2 * 5 + 2] == 3)
        #expect(table[2 * 5 + 1] == 2)
        #expect(table[0] == 0)
    }

    @Test func aRuleSetWithoutScoresHasOneScoreAndNoneOfTheirParts() throws {
        let rules = try TestSupport.loadCampus()
        #expect(rules.scores.isEmpty)
        #expect(rules.indicatorScores.isEmpty)
        let engine = try ScoringEngine(rules: rules)
        let record = try #require(try TestSupport.records("- {id: A}", schema: rules.schema).first)
        #expect(engine.assess(record, asOf: asOf, for: .fullView).scores.isEmpty)
        #expect(engine.score([record], asOf: asOf, for: .fullView).scoreIDs.isEmpty)
    }

    @Test func everyIndicatorMustNameADeclaredScore() throws {
        let missing = try TestSupport.ruleErrors(
            Self.ruleSet().replacingOccurrences(of: "    score: self\n", with: ""))
        #expect(
            missing.contains {
                $0.contains("found no score on the indicator sadness; expected score: one of self, others")
            })
        let unknown = try TestSupport.ruleErrors(Self.ruleSet(scoreOfThreat: "other"))
        #expect(
            unknown.contains {
                $0.contains(
                    "found the unknown score \"other\" on the indicator threatening; expected one of: self, others (did you mean \"others\"?)"
                )
            })
    }

    @Test func scoreAndCombineAreRefusedWithoutScores() throws {
        let errors = try TestSupport.ruleErrors(
            """
            schema:
              fields:
                sad: boolean
            levels:
              - id: none
              - id: attention
                from: {self: 1}
            combine: highest
            indicators:
              - id: sadness
                label: Sadness
                dimension: observable
                score: self
                when: "sad"
                points: 2
            """)
        #expect(
            errors.contains { $0.contains("found a mapping for from of level attention in a rule set without scores:") }
        )
        #expect(errors.contains { $0.contains("found combine: in a rule set without scores:") })
        #expect(
            errors.contains {
                $0.contains(
                    "found the unknown key \"score\" in indicator sadness; expected one of: id, label, dimension, group, source, when, points, evidence, during, enabled, note, display_only"
                )
            })
    }

    @Test func oneDeclaredScoreIsRefused() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet().replacingOccurrences(of: "  - {id: others, label: Risk to others}\n", with: ""))
        #expect(errors.contains { $0.contains("found one score (self) in scores:; expected two or more") })
    }

    @Test func aLevelsFromMustMapDeclaredScoresToRisingThresholds() throws {
        let plain = try TestSupport.ruleErrors(
            Self.ruleSet(levels: "levels:\n  - id: none\n  - id: attention\n    from: 2\n"))
        #expect(
            plain.contains {
                $0.contains(
                    "found \"2\" for from of level attention; expected a mapping of scores to thresholds, such as from: {self: 3, others: 4}"
                )
            })
        let unknown = try TestSupport.ruleErrors(
            Self.ruleSet(levels: "levels:\n  - id: none\n  - id: attention\n    from: {selfs: 2}\n"))
        #expect(
            unknown.contains {
                $0.contains(
                    "found the unknown score \"selfs\" in from of level attention; expected one of: self, others (did you mean \"self\"?)"
                )
            })
        let falling = try TestSupport.ruleErrors(
            Self.ruleSet(
                levels: """
                    levels:
                      - id: none
                      - id: attention
                        from: {self: 2, others: 1}
                      - id: focus
                        from: {self: 2, others: 2}

                    """))
        #expect(
            falling.contains {
                $0.contains(
                    "found level focus from 2 for self, not above attention from 2; expected each score's thresholds rising with each level"
                )
            })
        #expect(!falling.contains { $0.contains("for others") })
    }

    @Test func aLevelNoScoreCanReachIsRefused() throws {
        let errors = try TestSupport.ruleErrors(
            Self.ruleSet(
                levels: """
                    levels:
                      - id: none
                      - id: attention
                        from: {self: 1}
                      - id: focus
                        from: {self: 3, others: 3}

                    """))
        #expect(
            errors.contains {
                $0.contains(
                    "found level focus, which no student can reach: its scores' indicators together give at most self 2, others 2"
                )
            })
    }

    @Test func aCombinationTableIsCheckedAtLoad() throws {
        let unknown = try TestSupport.ruleErrors(
            Self.ruleSet(extra: "combine:\n  table:\n    - {self: focus, others: fokus, level: focus}\n"))
        #expect(
            unknown.contains {
                $0.contains(
                    "found \"fokus\" for others in combine: table; expected one of the levels: none, attention, focus (did you mean \"focus\"?)"
                )
            })
        let duplicate = try TestSupport.ruleErrors(
            Self.ruleSet(
                extra: """
                    combine:
                      table:
                        - {self: attention, others: attention, level: focus}
                        - {self: attention, others: attention, level: none}

                    """))
        #expect(
            duplicate.contains {
                $0.contains("found a second row for the same combination in combine: table (the first at")
            })
        let missingScore = try TestSupport.ruleErrors(
            Self.ruleSet(extra: "combine:\n  table:\n    - {self: attention, level: focus}\n"))
        #expect(missingScore.contains { $0.contains("found no others in a row of combine: table") })
        let rulesOnly = try TestSupport.ruleErrors(
            Self.ruleSet(
                levels: """
                    levels:
                      - id: none
                      - id: attention
                        from: {self: 1, others: 1}
                      - id: urgent
                        reached_by: rules
                      - id: focus
                        from: {self: 2, others: 2}

                    """,
                extra: """
                    combine:
                      table:
                        - {self: attention, others: attention, level: urgent}

                    """))
        #expect(
            rulesOnly.contains {
                $0.contains(
                    "found level urgent, which only rules reach (reached_by: rules), as the level of a row of combine: table"
                )
            })
        let notAList = try TestSupport.ruleErrors(Self.ruleSet(extra: "combine:\n  table: highest\n"))
        #expect(
            notAList.contains {
                $0.contains(
                    "for the table of combine; expected a list of rows such as {self: LEVEL, others: LEVEL, level: LEVEL}"
                )
            })
    }

    @Test func eachScoreReachesItsLevelAndTheHighestOrTheTableGivesTheLevel() throws {
        let engine = try engine()
        // Thoughts at 2 give 4 self points (focus); threats at 1 give 2 others points (attention): the highest, focus.
        let highest = try assess("{id: A, self_harm_thoughts: 2, threats: 1}", engine: engine)
        #expect(highest.scores.map(\.id) == ["self", "others"])
        #expect(highest.scores.map(\.score) == [4, 2])
        #expect(highest.scores.map(\.levelID) == ["focus", "attention"])
        #expect(highest.score == 6)
        #expect(highest.scoreLevel?.id == "focus")
        #expect(highest.level.id == "focus")
        // Focus on both: the table gives high, though neither score reaches high alone.
        let table = try assess("{id: B, self_harm_thoughts: 2, threats: 2}", engine: engine)
        #expect(table.scores.map(\.levelID) == ["focus", "focus"])
        #expect(table.scoreLevel?.id == "high")
        #expect(table.level.id == "high")
        // A protective factor subtracts from its own score only: others 3 - 1 = 2 (attention); self unchanged.
        let protected = try assess("{id: C, threats: 2, mentor: true, hopeless: true}", engine: engine)
        #expect(protected.scores.map(\.score) == [1, 2])
        #expect(protected.scores.map(\.levelID) == ["none", "attention"])
        #expect(protected.score == 3)
        #expect(protected.level.id == "attention")
        // The overall score is not compared with any threshold: 3 + 3 = 6 reaches no level on either score.
        let split = try assess("{id: D, self_harm_thoughts: 1, hopeless: true, threats: 1, fights: 2}", engine: engine)
        #expect(split.scores.map(\.score) == [3, 3])
        #expect(split.scores.map(\.levelID) == ["attention", "focus"])
        #expect(split.level.id == "focus")
        // An escalation still raises past the combined level.
        let crisis = try assess("{id: E, self_harm_thoughts: 3, threats: 2}", engine: engine)
        #expect(crisis.scoreLevel?.id == "high")
        #expect(crisis.level.id == "crisis")
    }

    @Test func cohortScoresGiveTheSameLevelsAndScoresAsAssessments() throws {
        let engine = try engine()
        var lines: [String] = []
        for thoughts in 0...3 {
            for threats in 0...3 {
                for extra in ["", ", hopeless: true", ", mentor: true, fights: 3", ", diary_self_harm: true"] {
                    lines.append(
                        "- {id: S\(lines.count), self_harm_thoughts: \(thoughts), threats: \(threats)\(extra)}")
                }
            }
        }
        let records = try TestSupport.records(lines.joined(separator: "\n"), schema: engine.rules.schema)
        let assessments = engine.assess(records, asOf: asOf, for: .fullView)
        let scores = engine.score(records, asOf: asOf, for: .fullView, threads: 2)
        #expect(scores.scoreIDs == ["self", "others"])
        var levelsSeen: Set<String> = []
        for (student, assessment) in assessments.enumerated() {
            #expect(scores.level(student) == assessment.level)
            #expect(scores.scoreLevel(student) == assessment.scoreLevel)
            #expect(scores.score(student) == assessment.score)
            for (index, part) in assessment.scores.enumerated() {
                #expect(scores.score(student, of: index) == part.score)
                #expect(scores.scoreLevel(student, of: index) == part.level)
            }
            levelsSeen.insert(assessment.level.id)
        }
        #expect(levelsSeen == ["none", "attention", "focus", "high", "crisis"])
    }

    @Test func aViewThatWithholdsTheScoreWithholdsEachScore() throws {
        let engine = try engine()
        let monitor = try #require(engine.rules.roles.first { $0.id == "class_monitor" })
        let sensitive = try assess("{id: A, diary_self_harm: true, threats: 1}", engine: engine)
        let view = sensitive.visible(to: monitor)
        #expect(view.withheld)
        #expect(view.scores.map(\.levelID) == ["withheld", "withheld"])
        #expect(view.scores.allSatisfy { $0.score.isNaN })
        // The full view shows them; a view with nothing withheld shows them too.
        #expect(sensitive.scores.map(\.levelID) == ["attention", "attention"])
        let plain = try assess("{id: B, threats: 1}", engine: engine).visible(to: monitor)
        #expect(!plain.withheld)
        #expect(plain.scores.map(\.score) == [0, 2])
    }

    @Test func everyFormatShowsEachScoreAndItsLevelBesideTheOverallOnes() throws {
        let engine = try engine()
        let both = try assess("{id: B, self_harm_thoughts: 2, threats: 2}", engine: engine)
        #expect(
            AssessmentFormatting.jsonLine(both).contains(
                #""score":7,"level":"high","confirmed_level":null,"status":"new","score_level":"high","scores":{"self":{"score":4,"level":"focus"},"others":{"score":3,"level":"focus"}},"route""#
            ))
        let header = AssessmentFormatting.csvHeader(scores: engine.rules.scores)
        #expect(
            header.hasPrefix(
                "id,college,class,as_of,level,level_zh,level_en,confirmed_level,status,score,score_level,score_self,score_level_self,score_others,score_level_others,route,"
            ))
        #expect(
            AssessmentFormatting.csvRow(both).hasPrefix(
                "B,,,2026-11-23,high,,high,,new,7,high,4,focus,3,focus,counsellor,"))
        let table = AssessmentFormatting.assessmentTable([both])
        #expect(table.contains("BY SCORE  SCORES"))
        #expect(table.contains("high      self 4 focus; others 3 focus  counsellor"))
        let explanation = both.explanation
        #expect(explanation.contains("  self 自我伤害风险 (Risk to self): 4 gives focus\n"))
        #expect(explanation.contains("  others 伤害他人风险 (Risk to others): 3 gives focus\n"))
        #expect(explanation.contains("  score gives high (the scores' levels combined)\n"))
    }

    @Test func everyFormatWithholdsEachScoreWhereItWithholdsTheScore() throws {
        let engine = try engine()
        let monitor = try #require(engine.rules.roles.first { $0.id == "class_monitor" })
        let view = try assess("{id: C, diary_self_harm: true, fights: 2}", engine: engine).visible(to: monitor)
        #expect(
            AssessmentFormatting.jsonLine(view).contains(
                #""scores":{"self":{"score":null,"level":"withheld"},"others":{"score":null,"level":"withheld"}}"#))
        #expect(
            AssessmentFormatting.csvRow(view).hasPrefix(
                "C,,,2026-11-23,attention,,attention,,new,withheld,withheld,withheld,withheld,withheld,withheld,class_monitor,"
            ))
        #expect(
            AssessmentFormatting.assessmentTable([view]).contains(
                "self withheld withheld; others withheld withheld"))
        #expect(view.explanation.contains("  each score and the level it gives: withheld\n"))
        #expect(!view.explanation.contains("gives attention"))
    }

    @Test func aRuleSetOfOneScoreKeepsItsColumns() throws {
        let rules = try TestSupport.loadCampus()
        #expect(AssessmentFormatting.csvHeader(scores: rules.scores) == AssessmentFormatting.csvHeader)
        let engine = try ScoringEngine(rules: rules)
        let record = try #require(try TestSupport.records("- {id: A}", schema: rules.schema).first)
        let assessment = engine.assess(record, asOf: asOf, for: .fullView)
        #expect(!AssessmentFormatting.jsonLine(assessment).contains("\"scores\""))
        #expect(!AssessmentFormatting.assessmentTable([assessment]).contains("SCORES"))
    }

    static let fixturePath = rulesPath + "/fixtures/replay.yaml"

    @Test func theTwoScoreFixtureReplaysGreenAndCoversEveryRuleAndLevel() throws {
        let rules = try RuleSet.load(from: Self.rulesPath)
        let fixture = try FixtureLoader.load(Self.fixturePath, rules: rules)
        #expect(fixture.rejected.isEmpty)
        #expect(fixture.cases.contains { $0.expectation?.scores != nil })
        let report = try Replay(rules: rules).run(fixture)
        #expect(report.mismatches.isEmpty, "\(report.mismatches.map { "\($0.studentID): \($0.differences)" })")
        #expect(report.coverage.unexercised.isEmpty, "\(report.coverage.unexercised.map(\.id))")
    }

    /// A one-student fixture of the two-score rule set expecting `expect`.
    func scoresFixture(expecting expect: String) throws -> (Fixture, Replay) {
        let text = """
            rules: \(Self.rulesPath)
            as_of: 2026-11-23
            students:
              - id: A
                self_harm_thoughts: 2
                threats: 1
                expect: \(expect)

            """
        let directory = try TestSupport.directory(["f.yaml": text])
        let rules = try RuleSet.load(from: Self.rulesPath)
        return (try FixtureLoader.load(directory + "/f.yaml", rules: rules), try Replay(rules: rules))
    }

    @Test func aWrongScoreOrLevelOfOneScoreIsOneSentenceEach() throws {
        let (fixture, replay) = try scoresFixture(
            expecting: "{level: focus, scores: {self: {score: 3, level: focus}, others: {level: focus}}}")
        #expect(fixture.rejected.isEmpty)
        #expect(
            replay.run(fixture).results[0].differences == [
                "scores: self score expected 3, got 4", "scores: others level expected focus, got attention",
            ])
    }

    @Test func recordingRewritesTheScoresTheFixtureExpectedWithTheValuesOfNow() throws {
        let (fixture, replay) = try scoresFixture(expecting: "{level: none, scores: {others: {score: 9}}}")
        let (text, changes) = try replay.record(fixture)
        let written = try #require(String(bytes: text, encoding: .utf8))
        #expect(
            written.contains(
                "expect: {level: focus, fired: [thoughts, threatening], escalations: [raised_on_both], scores: {others: {score: 2}}}"
            ))
        let directory = try TestSupport.directory(["f.yaml": written])
        let reread = try FixtureLoader.load(directory + "/f.yaml", rules: replay.engine.rules)
        #expect(reread.cases[0].expectation == changes[0].after)
        #expect(replay.run(reread).results[0].differences == [])
    }

    @Test(arguments: [
        (
            "{level: none, scores: {selff: {score: 1}}}",
            "found the unknown score \"selff\" in scores; expected one of: self, others (did you mean \"self\"?)"
        ),
        ("{level: none, scores: {self: 3}}", "found \"3\" for self in scores; expected {score: n, level: l}"),
        ("{level: none, scores: {self: {score: x}}}", "found \"x\" for the score of self; expected a number"),
        (
            "{level: none, scores: {self: {level: focs}}}",
            "found \"focs\" for the level of self; expected one of: none, attention, focus, high, crisis (did you mean \"focus\"?)"
        ),
        (
            "{level: none, scores: {self: {class: focus}}}",
            "found the unknown key \"class\" in scores: self; expected score or level"
        ),
    ])
    func aWrongScoresExpectationIsRefusedWithWhatWasExpected(expect: String, message: String) throws {
        let (fixture, _) = try scoresFixture(expecting: expect)
        #expect(fixture.cases.isEmpty)
        #expect(fixture.rejected.map(\.message) == [message])
    }

    @Test func scoresAreRefusedInAFixtureOfARuleSetWithOneScore() throws {
        let text = """
            rules: \(TestSupport.campusRules)
            as_of: 2026-11-23
            students:
              - id: A
                expect: {level: none, scores: {self: {score: 0}}}

            """
        let directory = try TestSupport.directory(["f.yaml": text])
        let fixture = try FixtureLoader.load(directory + "/f.yaml", rules: try TestSupport.loadCampus())
        #expect(
            fixture.rejected.map(\.message) == [
                "found scores in expect for the rule set test-campus, which has one score; expected score: n"
            ])
    }

    @Test func aRuleSetDiffMovesByTheOverallLevelAndShowsTheScoresThatChanged() throws {
        let old = try engine()
        let text = try String(contentsOfFile: Self.rulesPath + "/rules.yaml", encoding: .utf8)
        let lowered = text.replacingOccurrences(
            of: "from: {self: 2, others: 2}", with: "from: {self: 2, others: 1}")
        #expect(lowered != text)
        let new = try ScoringEngine(rules: RuleSet.load(from: try TestSupport.directory(["rules.yaml": lowered])))
        let yaml = "- {id: A, self_harm_thoughts: 2, threats: 1}\n- {id: D, fights: 3}"
        let diff = RuleSetDiff(
            old: old, oldRecords: try TestSupport.records(yaml, schema: old.rules.schema), new: new,
            newRecords: try TestSupport.records(yaml, schema: new.rules.schema), asOf: asOf,
            for: .fullView)
        #expect(diff.moves.map(\.studentID) == ["D"])
        let move = try #require(diff.moves.first)
        #expect(move.oldLevel == "none")
        #expect(move.newLevel == "attention")
        #expect(RuleSetDiff.scoreChanges(move) == ["others 1 none → 1 attention"])
    }

    @Test func scoreOfOneScoreIsReadInEscalationsAsTheEngineSumsIt() throws {
        let engine = try engine()
        let rule = try #require(engine.rules.escalations.first { $0.id == "raised_on_both" })
        // Self 2 (the diary), others 3 - 1 = 2 (threats less the mentor): both at 2, the escalation holds.
        let both = try assess("{id: A, diary_self_harm: true, threats: 2, mentor: true}", engine: engine)
        #expect(both.scores.map(\.score) == [2, 2])
        #expect(both.scoreLevel?.id == "attention")
        #expect(both.escalations.map(\.id) == ["raised_on_both"])
        #expect(both.level.id == "focus")
        // Others 2 but self 1: it does not.
        let one = try assess("{id: B, hopeless: true, threats: 2, mentor: true}", engine: engine)
        #expect(one.escalations.isEmpty)
        #expect(one.level.id == "attention")
        // It reads the diary, a sensitive indicator, through score(self): the rule is sensitive.
        #expect(rule.isSensitive)
    }

    @Test func scoreOfAnUnknownScoreOrWithoutScoresOrInAnIndicatorIsRefused() throws {
        let unknown = try TestSupport.ruleErrors(
            Self.ruleSet(extra: "escalations:\n  - id: e\n    when: \"score(selv) >= 2\"\n    level: focus\n"))
        #expect(
            unknown.contains {
                $0.contains(
                    "found \"selv\" in score(); expected one of the scores: self, others (did you mean \"self\"?)")
            })
        let inIndicator = try TestSupport.ruleErrors(
            Self.ruleSet(
                extra: """
                    protective:
                      - id: calm
                        label: Calm
                        score: self
                        when: "score(self) == 0"
                        points: 1

                    """))
        #expect(
            inIndicator.contains {
                $0.contains("found score() in an indicator; expected it only in escalations, caps and duties")
            })
        let withoutScores = try TestSupport.ruleErrors(
            """
            schema:
              fields:
                sad: boolean
            levels:
              - id: none
              - id: attention
                from: 1
            indicators:
              - id: sadness
                label: Sadness
                dimension: observable
                when: "sad"
                points: 2
            escalations:
              - id: e
                when: "score(self) >= 1"
                level: attention
            """)
        #expect(
            withoutScores.contains {
                $0.contains(
                    "found score() in a rule set without scores:; expected score (the one score) or scores: declared")
            })
    }
}
