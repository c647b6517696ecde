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

    @Test func idsThatCompareEqualAreOneStudent() {
        // As in a dictionary of strings: é composed and decomposed, the Kelvin sign and K, the Greek question mark
        // and a semicolon are the same texts under `==`, though their bytes differ.
        for (first, again) in [("S\u{E9}1", "Se\u{301}1"), ("S\u{212A}1", "SK1"), ("A;", "A\u{37E}")] {
            var register = StudentIDRegister()
            #expect(register.register(first, at: SourceLocation(file: "f", line: 2, column: 1)) == nil)
            let rejection = register.register(again, at: SourceLocation(file: "f", line: 5, column: 1))
            #expect(rejection?.message.contains("(first at line 2)") == true, "\(first) and \(again)")
        }
        // Texts that differ are different students, however alike their bytes.
        var register = StudentIDRegister()
        for (line, id) in ["S1", "S1 ", "s1", "S\u{E9}", "S\u{E8}", "", "S\u{0}"].enumerated() {
            #expect(register.register(id, at: SourceLocation(file: "f", line: line, column: 1)) == nil, "\(id)")
        }
        #expect(register.count == 7)
    }

    @Test func aRegisterThatGrowsStillNamesEachIdsFirstPlace() {
        // 50,000 ids grow the table 13 times (16 slots to 131,072); each is then read again, named with its first
        // line or place.
        var register = StudentIDRegister()
        let ids = (0..<50_000).map { "S\($0 * 7919 % 50_000)" + ($0 % 3 == 0 ? "学号" : "") }
        for (line, id) in ids.enumerated() {
            let place = line % 1000 == 999 ? "in part\(line / 1000).jsonl" : nil
            #expect(register.register(id, at: SourceLocation(file: "f", line: line, column: 1), place: place) == nil)
        }
        #expect(register.count == 50_000)
        for (line, id) in ids.enumerated().reversed() {
            let rejection = register.register(id, at: SourceLocation(file: "g", line: 1, column: 1))
            let first = line % 1000 == 999 ? "in part\(line / 1000).jsonl" : "at line \(line)"
            if rejection?.message.contains("(first \(first))") != true {
                Issue.record("\(id): \(String(describing: rejection?.message))")
                return
            }
        }
        #expect(register.count == 50_000)
        var sized = StudentIDRegister(capacity: 10)
        for id in ["a", "b", "c"] {
            #expect(sized.register(id, at: SourceLocation(file: "f", line: 1, column: 1)) == nil)
        }
        #expect(sized.register("b", at: SourceLocation(file: "f", line: 2, column: 1)) != nil)
    }

    @Test func longIdsThatShareTheirStartAreToldApartAndTheirRepeatsRejected() {
        // Ids of 211 to 311 bytes (lengths of two bytes where they are kept), sharing their first 210 bytes, more
        // than the 32 ids between two kept whole, the table grown on the way.
        let start = String(repeating: "学", count: 70)
        let ids = (0..<100).map { start + "\($0 * 37 % 100)" + String(repeating: "x", count: $0) }
        var register = StudentIDRegister()
        for (line, id) in ids.enumerated() {
            #expect(register.register(id, at: SourceLocation(file: "f", line: line, column: 1)) == nil)
        }
        for (line, id) in ids.enumerated().reversed() {
            let rejection = register.register(id, at: SourceLocation(file: "f", line: 500, column: 1))
            #expect(rejection?.message.contains("(first at line \(line))") == true, "id \(line)")
        }
        #expect(register.register(start, at: SourceLocation(file: "f", line: 501, column: 1)) == nil)
        #expect(register.count == 101)
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
