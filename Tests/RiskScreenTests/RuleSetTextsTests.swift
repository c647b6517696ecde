import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenSupport

/// What a rule set declares for its outputs (`ruleset: notice:`, `level_defaults:`), its own dimensions
/// (`dimensions:`), and whether its scales are sensitive when it declares no roles. Rule files:
/// `Rules/test-rubric` (no roles) and `Rules/test-rubric-college` (an overlay that adds roles).
@Suite struct RuleSetTextsTests {
    static let rubricRules = TestSupport.testsDirectory + "/Rules/test-rubric"
    static let collegeRules = TestSupport.testsDirectory + "/Rules/test-rubric-college"
    static let rubricNotice = "量表筛查结果，仅供参考。Rubric screening result; for reference only."
    static let collegeNotice = "学院筛查结果，须经辅导员核实。College screening result for a counsellor to verify."
    static let students = """
        - {id: R1, college: 文学院, class_name: A1, has_confidant: true}
        - {id: R2, college: 文学院, class_name: A1, self_harm_thoughts: true, threatened_others: true}
        - {id: R3, college: 文学院, class_name: A2, scales: [{scale: k6, date: 2026-03-01, items: [3, 3, 2, 2, 2, 2]}]}
        - {id: R4, college: 文学院, class_name: A2, plan_with_means: true}
        """

    /// The rule set, its records and their assessments on 2026-03-15.
    static func scored(_ path: String, on date: String = "2026-03-15") throws -> (
        rules: RuleSet, records: [StudentRecord], assessments: [Assessment]
    ) {
        let rules = try RuleSet.load(from: path)
        let records = try TestSupport.records(students, schema: rules.schema)
        return (
            rules, records,
            try ScoringEngine(rules: rules).assess(records, asOf: TestSupport.date(date), for: .fullView)
        )
    }

    // MARK: Notice

    @Test func aDeclaredNoticeIsShownInEveryFormatInsteadOfTheDefault() throws {
        let (rules, records, assessments) = try Self.scored(Self.rubricRules)
        #expect(rules.texts.notice == Self.rubricNotice)
        let first = try #require(assessments.first)
        #expect(first.notice == Self.rubricNotice)
        #expect(first.explanation.hasSuffix("\n  " + Self.rubricNotice))
        #expect(AssessmentFormatting.jsonLine(first).hasSuffix(#","notice":"\#(Self.rubricNotice)"}"#))
        #expect(AssessmentFormatting.csvRow(first).hasSuffix("," + Self.rubricNotice))
        let summary = BatchSummary(rules: rules, records: records, assessments: assessments, for: .fullView)
        #expect(AssessmentFormatting.summaryText(summary).hasSuffix("\n" + Self.rubricNotice))
        let later = try ScoringEngine(rules: rules).assess(
            records, asOf: TestSupport.date("2026-04-15"), for: .fullView)
        let diff = try AsOfDiff(before: assessments, after: later, levels: rules.levels, for: .fullView)
        #expect(diff.summaryText().hasSuffix("\n" + Self.rubricNotice))
        for output in [first.explanation, AssessmentFormatting.jsonLine(first), diff.summaryText()] {
            #expect(!output.contains(RuleSetTexts.defaultNotice))
        }
    }

    @Test func aRuleSetWithoutANoticeShowsTheDefaultOne() throws {
        let rules = try TestSupport.loadCampus()
        #expect(rules.texts == RuleSetTexts.standard)
        let record = try #require(try TestSupport.records("- {id: A}", schema: rules.schema).first)
        let assessment = try ScoringEngine(rules: rules).assess(
            record, asOf: TestSupport.date("2026-11-23"), for: .fullView)
        #expect(assessment.notice == RuleSetTexts.defaultNotice)
        #expect(AssessmentFormatting.csvRow(assessment).hasSuffix("," + RuleSetTexts.defaultNotice))
        #expect(assessment.explanation.contains("route: none; parents: no"))
    }

    @Test func anOverlayReplacesTheNoticeAndOneTextKeepingTheOther() throws {
        let (rules, _, assessments) = try Self.scored(Self.collegeRules)
        #expect(rules.texts.notice == Self.collegeNotice)
        #expect(rules.texts.parentsNo == "家长不知情")
        #expect(rules.texts.routeNone == "常规关注 routine care")
        let low = try #require(assessments.first)
        #expect(low.explanation.contains("  route: 常规关注 routine care; parents: 家长不知情\n"))
        #expect(AssessmentFormatting.jsonLine(low).hasSuffix(#","notice":"\#(Self.collegeNotice)"}"#))
    }

    // MARK: Level defaults

    @Test func levelDefaultsApplyWhereALevelWritesNoRouteOrParents() throws {
        let rubric = try RuleSet.load(from: Self.rubricRules)
        #expect(rubric.levels.map(\.informParents) == [.no, .withConsent, .yes])
        #expect(rubric.levels.allSatisfy { $0.route.isEmpty })
        let college = try RuleSet.load(from: Self.collegeRules)
        // The overlay's default route reaches the levels that write none; low writes route: [] (an override).
        #expect(college.levels.map(\.route) == [[], ["counsellor"], ["counsellor"]])
        #expect(college.levels.map(\.informParents) == [.no, .withConsent, .yes])
    }

    @Test func theTextsForAnEmptyRouteAndParentsNoReplaceNoneAndNoForPeopleNotForPrograms() throws {
        let (_, _, assessments) = try Self.scored(Self.rubricRules)
        let low = assessments[0]
        #expect(low.explanation.contains("  route: 常规关注 routine care; parents: 不通知家长 parents not told\n"))
        let table = AssessmentFormatting.assessmentTable([low])
        #expect(table.contains("常规关注 routine care"))
        // Programs read codes: an empty route and "no".
        #expect(AssessmentFormatting.jsonLine(low).contains(#""route":[],"response":"","parents":"no""#))
        #expect(AssessmentFormatting.csvRow(low).contains(",low,,no,"))
        // Parents other than no print as they are.
        #expect(assessments[2].explanation.contains("; parents: with_consent\n"))
    }

    @Test func wrongLevelDefaultsAndTextsAreErrorsThatSayWhere() throws {
        let levels = "levels:\n  - {id: none}\n  - {id: high, from: 3}\n"
        // Keys are checked as the layers are read, before any level is decoded.
        #expect(
            try TestSupport.ruleErrors(
                "ruleset:\n  id: x\n  level_defaults: {route: [counsellor], parent: yes}\n" + levels)
                == [
                    "3:41: found the unknown key \"parent\" in level_defaults; expected one of: route, parents, route_none, parents_no (did you mean \"parents\"?)"
                ])
        #expect(
            try TestSupport.ruleErrors(
                "ruleset:\n  level_defaults: {route: [dean]}\nroles: {counsellor: C}\n" + levels) == [
                    "2:28: found the unknown role \"dean\"; expected one of the roles: counsellor"
                ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  level_defaults: {parents: sometimes}\n" + levels) == [
                "2:29: found \"sometimes\" for parents; expected yes, no or with_consent"
            ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  level_defaults: [route]\n" + levels) == [
                "2:19: found a list for level_defaults; expected a mapping with route, parents, route_none, parents_no"
            ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  notice: \"\"\n" + levels) == [
                "2:11: found \"\" for notice; expected text or {zh: …, en: …}"
            ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  notice: \"a\\u202Eb\"\n" + levels) == [
                "2:11: found the notice \"a\\u{202E}b\"; expected one line with no control or bidirectional characters"
            ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  level_defaults: {route_none: {zh: 无, fr: aucun}}\n" + levels) == [
                "2:40: found the unknown key \"fr\" in label; expected one of: zh, en"
            ])
        #expect(
            try TestSupport.ruleErrors("ruleset:\n  notices: x\n" + levels) == [
                "2:3: found the unknown key \"notices\" in ruleset; expected id, name, extends, version, notes, notice or level_defaults (did you mean \"notice\"?)"
            ])
    }

    // MARK: Dimensions

    @Test func aRuleSetDeclaresItsOwnDimensionsWithLabels() throws {
        let rubric = try RuleSet.load(from: Self.rubricRules)
        #expect(rubric.dimensions.map(\.id) == ["self", "others", "acute", "supports"])
        #expect(
            rubric.dimensions.map(\.label.en) == ["Risk to self", "Risk to others", "Acute warning signs", "Supports"])
        #expect(rubric.dimensions.map(\.holdsProtectiveFactors) == [false, false, false, true])
        #expect(rubric.dimensions.map(\.isRedFlag) == [false, false, true, false])
        #expect(rubric.indicators.map(\.dimension.id) == ["self", "self", "others", "acute", "supports"])
        // A protective factor that names no dimension is in the one that holds protective factors.
        #expect(rubric.indicator(named: "confidant")?.dimension.label.zh == "保护因素")
        // An overlay relabels a dimension under overrides.
        let college = try RuleSet.load(from: Self.collegeRules)
        #expect(college.dimensions.first { $0.id == "others" }?.label == Label(zh: "他伤风险", en: "Harm to others"))
        #expect(college.indicator(named: "threats")?.dimension.label.en == "Harm to others")
    }

    @Test func aRuleSetWithoutDimensionsHasTheStandardEight() throws {
        let rules = try TestSupport.loadCampus()
        #expect(rules.dimensions == Dimension.standard)
        #expect(
            Dimension.standard.map(\.id) == [
                "observable", "checkable", "knowable", "controllable", "time_node", "history", "clinical", "red_flag",
            ])
        #expect(Dimension.standard.filter(\.holdsProtectiveFactors).map(\.id) == ["controllable"])
        #expect(Dimension.standard.filter(\.isRedFlag).map(\.id) == ["red_flag"])
        #expect(rules.indicator(named: "help_seeking")?.dimension.id == "controllable")
    }

    @Test func declaredDimensionsReachFiredCountOutputsAndNearMisses() throws {
        let (rules, records, assessments) = try Self.scored(Self.rubricRules)
        // fired_count(self) and fired_count(others): R2 has one of each, so both_sides holds.
        #expect(assessments[1].escalations.map(\.id) == ["both_sides"])
        #expect(assessments[3].escalations.isEmpty)
        #expect(assessments[1].fired.map(\.dimension.id) == ["self", "others"])
        #expect(AssessmentFormatting.jsonLine(assessments[1]).contains(#""dimension":"others""#))
        // The scale's indicator is not sensitive (no roles), so its dimension is shown like any other.
        #expect(AssessmentFormatting.jsonLine(assessments[2]).contains(#""dimension":"self""#))
        // A red-flag dimension's indicator comes first among near misses, marked as a red flag.
        let misses = try ScoringEngine(rules: rules).nearMisses(
            records[0], asOf: TestSupport.date("2026-03-15"), for: .fullView)
        let first = try #require(misses.first)
        #expect(first.indicatorID == "plan" && first.isRedFlag)
        #expect(misses.dropFirst().allSatisfy { !$0.isRedFlag })
    }

    static let dimensionRules = """
        schema: {fields: {a: boolean, b: boolean}}
        dimensions:
          - {id: self, label: 自我}
          - {id: others, label: 他人}
          - {id: supports, label: 支持, protective: true}
        levels:
          - {id: none}
          - {id: high, from: 3}

        """

    @Test func anUnknownDimensionListsTheDeclaredOnesWithASuggestion() throws {
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "indicators:\n  - {id: i, label: I, dimension: selff, when: a, points: 1}\n") == [
                    "10:34: found \"selff\" for dimension; expected one of: self, others (did you mean \"self\"?)"
                ])
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "indicators:\n  - {id: i, label: I, dimension: observable, when: a, points: 1}\n")
                == ["10:34: found \"observable\" for dimension; expected one of: self, others"])
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "indicators:\n  - {id: i, label: I, dimension: self, when: a, points: 1}\n"
                    + "escalations:\n  - {id: e, when: \"fired_count(other) >= 1\", level: high}\n") == [
                    "12:32: in escalation e: found \"other\"; expected a dimension: self, others, supports (did you mean \"others\"?)"
                ])
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "indicators:\n  - {id: i, label: I, dimension: self, when: a, points: 1}\n"
                    + "calendar:\n  windows: {w: {from: \"01-01\", to: \"01-31\"}}\n"
                    + "  effects:\n    - {window: w, dimension: selfs, multiply: 2}\n") == [
                    "14:30: found \"selfs\" for dimension; expected one of: self, others, supports (did you mean \"self\"?)"
                ])
        #expect(
            try TestSupport.ruleErrors(Self.dimensionRules + "indicators:\n  - {id: i, label: I, when: a, points: 1}\n")
                == ["10:5: found no dimension on indicator i; expected dimension: self, others"])
    }

    @Test func riskIndicatorsAndProtectiveFactorsKeepToDimensionsOfTheirKind() throws {
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "indicators:\n  - {id: i, label: I, dimension: supports, when: a, points: 1}\n")
                == [
                    "10:34: found the dimension supports on the indicator i, but it holds protective factors; expected one of: self, others"
                ])
        #expect(
            try TestSupport.ruleErrors(
                Self.dimensionRules + "protective:\n  - {id: p, label: P, dimension: self, when: b, points: 1}\n")
                == [
                    "10:34: found the dimension self on the protective factor p, but it holds risk indicators; expected one of: supports"
                ])
        let noProtective = """
            schema: {fields: {b: boolean}}
            dimensions:
              - {id: self, label: 自我}
            levels:
              - {id: none}
            protective:
              - {id: p, label: P, when: b, points: 1}

            """
        #expect(
            try TestSupport.ruleErrors(noProtective) == [
                "7:5: found no dimension on protective factor p; expected dimension: a dimension with protective: true in dimensions:"
            ])
        #expect(
            try TestSupport.ruleErrors(
                "dimensions:\n  - {id: d, protective: true, red_flag: true}\nlevels:\n  - {id: none}\n") == [
                    "2:31: found protective: true and red_flag: true on dimension d; expected one of them (red flags are risk indicators)"
                ])
        #expect(
            try TestSupport.ruleErrors("dimensions:\n  - {id: d, colour: red}\nlevels:\n  - {id: none}\n") == [
                "2:13: found the unknown key \"colour\" in dimension d; expected one of: id, label, protective, red_flag, note"
            ])
    }

    // MARK: Scales without roles

    @Test func aScaleIsNotSensitiveInARuleSetWithoutRolesAndIsShownToEveryReader() throws {
        let (rules, _, assessments) = try Self.scored(Self.rubricRules)
        #expect(rules.roles.isEmpty)
        #expect(rules.schema.scale(named: "k6")?.sensitive == false)
        #expect(rules.indicator(named: "distress")?.isSensitive == false)
        let r3 = assessments[2].visible(to: rules.leastPrivilegedRole)
        #expect(!r3.withheld)
        #expect(r3.fired.map(\.id) == ["distress"])
        #expect(r3.fired.first?.evidence.first?.value == "14")
        #expect(AssessmentFormatting.assessmentTable([r3]).contains("distress +2"))
        #expect(rules.warnings.isEmpty)
    }

    @Test func anOverlayThatDeclaresRolesMakesTheScaleSensitiveForTheRolesThatSeeIt() throws {
        let (rules, _, assessments) = try Self.scored(Self.collegeRules)
        #expect(rules.schema.scale(named: "k6")?.sensitive == true)
        let reader = assessments[2].visible(to: rules.leastPrivilegedRole)
        #expect(reader.withheld && reader.fired.isEmpty && reader.score.isNaN)
        let counsellor = assessments[2].visible(to: try #require(rules.role(named: "counsellor")))
        #expect(!counsellor.withheld)
        #expect(counsellor.fired.map(\.id) == ["distress"] && counsellor.score == 2)
        #expect(rules.warnings.isEmpty)
    }

    @Test func aSensitiveScaleThatNoRoleMaySeeIsWarnedAbout() throws {
        let scale = "    s: {items: 2, answers: [0, 3], scores: {total: {sum: all}}"
        let levels = "levels:\n  - {id: none}\n"
        let byDefault = try RuleSet.load(
            yaml: Array("roles: {liaison: L}\nschema:\n  scales:\n\(scale)}\n\(levels)".utf8), file: "a.yaml")
        #expect(byDefault.schema.scale(named: "s")?.sensitive == true)
        #expect(
            byDefault.warnings.map { "\($0.location.line):\($0.location.column): \($0.message)" } == [
                "4:8: found the scale s, sensitive (the default where roles are declared), but no role sees sensitive facts, so every output withholds it; expected sees_sensitive: true on a role that may see it, or sensitive: false on the scale"
            ])
        let written = try RuleSet.load(
            yaml: Array("schema:\n  scales:\n\(scale), sensitive: true}\n\(levels)".utf8), file: "b.yaml")
        #expect(written.schema.scale(named: "s")?.sensitive == true)
        #expect(
            written.warnings.map { "\($0.location.line):\($0.location.column): \($0.message)" } == [
                "3:76: found the scale s, sensitive, but no role sees sensitive facts, so every output withholds it; expected sees_sensitive: true on a role that may see it, or sensitive: false on the scale"
            ])
        let seen = try RuleSet.load(
            yaml: Array("roles: {c: {label: C, sees_sensitive: true}}\nschema:\n  scales:\n\(scale)}\n\(levels)".utf8),
            file: "c.yaml")
        #expect(seen.warnings.isEmpty && seen.schema.scale(named: "s")?.sensitive == true)
    }
}
