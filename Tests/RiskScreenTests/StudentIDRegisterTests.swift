import Testing

@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenSupport

/// Every reader rejects an id read a second time in the same words, naming where the first was.
@Suite struct StudentIDRegisterTests {
    @Test func theFirstRecordOfAnIdIsKeptAndEveryLaterOneRejectedWithWhereTheFirstWas() {
        var register = StudentIDRegister()
        #expect(register.register("A", at: SourceLocation(file: "f.jsonl", line: 3, column: 1)) == nil)
        #expect(register.register("B", at: SourceLocation(file: "f.jsonl", line: 4, column: 1)) == nil)
        let second = register.register("A", at: SourceLocation(file: "f.jsonl", line: 9, column: 1))
        #expect(
            second?.description
                == "f.jsonl:9:1: error: student A, field id: found the id a second time (first at line 3); expected each student once"
        )
        let third = register.register("A", at: SourceLocation(file: "g.jsonl", line: 1, column: 1), place: "in g.jsonl")
        #expect(third?.message.contains("(first at line 3)") == true)
    }

    @Test func aPlaceOtherThanALineIsNamedAsGiven() {
        var register = StudentIDRegister()
        #expect(register.register("A", at: SourceLocation(file: "a.csv", line: 2, column: 1), place: "in a.csv") == nil)
        let again = register.register("A", at: SourceLocation(file: "b.csv", line: 2, column: 1), place: "in b.csv")
        #expect(again?.message == "found the id a second time (first in a.csv); expected each student once")
    }

    @Test func aFixtureNamesTheLineOfTheFirstStudentWithTheId() throws {
        let rules = try TestSupport.loadCampus()
        let text = """
            as_of: 2026-11-23
            students:
              - {id: A, expect: {level: none}}
              - {id: B, expect: {level: none}}
              - {id: A, expect: {level: none}}

            """
        let fixture = try FixtureLoader.load(bytes: Array(text.utf8), file: "f.yaml", rules: rules)
        #expect(
            fixture.rejected.map(\.description) == [
                "f.yaml:5:5: error: student A, field id: found the id a second time (first at line 3); expected each student once"
            ])
    }
}
