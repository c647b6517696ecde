internal import Foundation
import RiskScreen
import Testing

/// How the builder reports while it decodes a rule set section by section: expressions of every kind through one
/// parse-compile-report path, and the diagnostics of several files in the order the sections are decoded.
@Suite struct RuleSetBuilderTests {
    /// The diagnostics of a rule-set directory as `file:line:column: message`, the file without its directory.
    func messages(_ files: [String: String]) throws -> [String] {
        let path = try TestSupport.directory(files)
        do {
            _ = try RuleSet.load(from: path)
            return []
        } catch {
            return error.diagnostics.map {
                let file = ($0.location.file as NSString).lastPathComponent
                return "\(file):\($0.location.line):\($0.location.column): \($0.message)"
            }
        }
    }

    @Test func everyKindOfExpressionReportsWhatItIsAndWhereItsErrorStands() throws {
        let text = """
            parameters:
              w: 1
            schema:
              fields:
                gpa: number
              scales:
                mini:
                  items: 2
                  answers: [0, 3]
                  scores: {total: {sum: all}}
                  classes:
                    - {class: high, when: [total]}
                    - {class: low, when: "total <"}
                    - {class: mid, when: "gpz > 1"}
            levels:
              - id: none
              - id: attention
                from: 1
            indicators:
              - id: a
                label: A
                dimension: knowable
                when: [gpa]
                points: w
              - id: b
                label: B
                dimension: knowable
                when: "gpa <"
                points: {by: [gpa], bands: [{from: 0, points: 1}]}
              - id: c
                label: C
                dimension: knowable
                when: "gpa > 1"
                points: {by: "gpa >", bands: [{from: 0, points: 1}]}
                evidence: [[gpa], "gpx", {label: G, value: "gpa +"}]
              - id: d
                label: D
                dimension: knowable
                when: "gpa > 1"
                points: {by: "gpa > 1", bands: [{from: 0, points: 1}]}
                evidence: "gpa > 1 and"
            escalations:
              - id: e
                when: "gpz > 1"
                level: attention

            """
        #expect(
            try messages(["rules.yaml": text]) == [
                "rules.yaml:12:31: found a list for class high; expected a condition such as \"count(night_absence, 30d) >= 2\"",
                "rules.yaml:13:38: in class low: found the end of the condition; expected a value",
                "rules.yaml:14:31: in class mid: found the unknown name \"gpz\"; expected one of mini's scores (total), item(n), a parameter or a field (gpa): a class rule reads nothing else of the record (did you mean \"gpa\"?)",
                "rules.yaml:23:11: found a list for the condition of a; expected a condition such as \"count(night_absence, 30d) >= 2\"",
                "rules.yaml:28:17: in the condition of b: found the end of the condition; expected a value",
                "rules.yaml:29:18: found a list for the points of b; expected an expression giving a number",
                "rules.yaml:34:24: in the points of c: found the end of the condition; expected a value",
                "rules.yaml:35:16: found a list in evidence; expected an expression to show",
                "rules.yaml:35:24: in evidence of c: found the name \"gpx\"; expected a value to show as evidence",
                "rules.yaml:35:54: in evidence of c: found the end of the condition; expected a value",
                "rules.yaml:40:19: in the points of d: found a condition (true or false); expected a number",
                "rules.yaml:41:27: in evidence of d: found the end of the condition; expected a value",
                "rules.yaml:44:12: in escalation e: found the unknown name \"gpz\"; expected a field, parameter or indicator (did you mean \"gpa\"?)",
            ])
    }

    /// Diagnostics of different files are not sorted by file: they come in the order the sections are decoded
    /// (parameters, roles, schema fields, events and scales, windows, levels, indicators, effects, escalations, caps,
    /// cohort), here the reverse of the files' names.
    @Test func diagnosticsOfSeveralFilesComeInTheOrderTheSectionsAreDecoded() throws {
        let files = [
            "l.yaml": "parameters:\n  w: 1\n  bad: [1]\n",
            "k.yaml": "roles:\n  liaison: {label: Liaison, sees: true}\n",
            "j.yaml": "schema:\n  fields:\n    gpa: number\n    dorm: text\n    odd: {type: colour}\n",
            "i.yaml": "schema:\n  events:\n    absence: {sensitive: maybe}\n",
            "h.yaml": "schema:\n  scales:\n    mini: {items: 0, answers: [0, 3]}\n",
            "g.yaml":
                "calendar:\n  windows:\n    exams: {from: \"12-20\", to: \"01-20\"}\n    bad: {from: \"12-20\"}\n",
            "f.yaml": "levels:\n  - id: none\n  - id: attention\n    from: 1\n    route: [liaison, dean]\n",
            "e.yaml": """
            indicators:
              - id: low_gpa
                label: Low GPA
                dimension: knowable
                when: "gpa < 2"
                points: w
              - id: absent
                label: Absent
                dimension: seen
                when: "count(absence, 30d) >= 2"
                points: w

            """,
            "d.yaml": "calendar:\n  effects:\n    - {window: exam, indicators: [low_gpa], multiply: 2}\n",
            "c.yaml": "escalations:\n  - id: floor\n    when: low_gpa\n    level: high\n",
            "b.yaml": "caps:\n  - id: ceiling\n    when: \"not absent\"\n    level: none\n    reason: [x]\n",
            "a.yaml":
                "cohort:\n  - id: roommates\n    group_by: room\n    when_level: attention\n    level: attention\n",
        ]
        #expect(
            try messages(files) == [
                "l.yaml:3:8: found a list for parameter bad; expected a number within ±1e9",
                "k.yaml:2:29: found the unknown key \"sees\" in role liaison; expected one of: label, sees_sensitive",
                "j.yaml:5:17: found \"colour\" as the type of odd; expected integer, number, boolean, text, enumeration or date",
                "i.yaml:3:26: found \"maybe\" for sensitive; expected true or false",
                "h.yaml:3:19: found \"0\" for items of mini; expected the number of items, 1 to 1000",
                "g.yaml:4:10: found a range without from and to; expected from: MM-DD (or YYYY-MM-DD) and to: …",
                "f.yaml:5:22: found the unknown role \"dean\"; expected one of the roles: liaison",
                "e.yaml:9:16: found \"seen\" for dimension; expected one of: observable, checkable, knowable, time_node, history, clinical, red_flag",
                "d.yaml:3:16: found \"exam\" for window; expected a calendar window (did you mean \"exams\"?)",
                "c.yaml:4:12: found \"high\" for level; expected one of the levels: none, attention",
                "b.yaml:5:13: found a list for reason; expected text",
                "a.yaml:3:15: found \"room\" for group_by; expected a text field such as dorm or class_name (did you mean \"dorm\"?)",
            ])
    }
}
