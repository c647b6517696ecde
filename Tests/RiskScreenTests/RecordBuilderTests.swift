import RiskScreen
import Testing

/// Issue 15 item 1: records built in code, checked as the readers check them.
@Suite struct RecordBuilderTests {
    let rules: RuleSet
    let asOf = TestSupport.date("2026-11-23")

    init() throws { rules = try TestSupport.loadCampus() }

    /// One JSON line read with the JSON Lines reader; fails the test when it is rejected.
    func read(_ line: String) throws -> RecordBatch {
        RecordReader.readJSONLines(Array((line + "\n").utf8), file: "s.jsonl", schema: rules.schema)
    }

    @Test func aBuiltRecordScoresAsTheSameRecordReadFromJSONLines() throws {
        var builder = try RecordBuilder(id: "S1", schema: rules.schema)
        try builder.set("college", "Engineering")
        try builder.set("dorm", "A-101")
        try builder.set("gpa", 1.5)
        try builder.set("failed_courses", 2)
        try builder.set("family_structure", "single_parent")
        try builder.set("diagnosed", true)
        try builder.set("enrolled_on", TestSupport.date("2026-09-01"))
        try builder.addEvent("night_absence", on: TestSupport.date("2026-11-10"))
        try builder.addEvent("night_absence", on: TestSupport.date("2026-11-12"))
        try builder.addEvent("family_change", on: TestSupport.date("2026-10-01"))
        try builder.addScaleResult("phq9", on: TestSupport.date("2026-11-01"), items: [2, 2, 2, 2, 2, 1, 1, 1, 1])
        try builder.addScaleResult(
            "mini", on: TestSupport.date("2026-11-02"), scores: ["total": 13, "mood": 4, "high_items": 2],
            class: "positive")
        let built = try builder.build()
        let read = try #require(
            try read(
                #"{"id":"S1","college":"Engineering","dorm":"A-101","gpa":1.5,"failed_courses":2,"#
                    + #""family_structure":"single_parent","diagnosed":true,"enrolled_on":"2026-09-01","#
                    + #""events":{"night_absence":["2026-11-10","2026-11-12"],"family_change":["2026-10-01"]},"#
                    + #""scales":[{"scale":"phq9","date":"2026-11-01","items":[2,2,2,2,2,1,1,1,1]},"#
                    + #"{"scale":"mini","date":"2026-11-02","scores":{"total":13,"mood":4,"high_items":2},"class":"positive"}]}"#
            ).records.first)
        let engine = try ScoringEngine(rules: rules)
        let fromBuilder = engine.assess(built, asOf: asOf, for: .fullView)
        let fromReader = engine.assess(read, asOf: asOf, for: .fullView)
        #expect(fromBuilder.fired.count >= 5)
        #expect(fromBuilder.explanation == fromReader.explanation)
        #expect(built.id == "S1")
    }

    /// The message a reader gives for the record `{"id":"S1", key: json}`.
    func readerMessage(_ key: String, _ json: String) throws -> String {
        try #require(try read(#"{"id":"S1",""# + key + #"":"# + json + "}").rejected.first).message
    }

    @Test func aRefusedValueGetsTheReadersMessageAtTheLineOfCodeThatGaveIt() throws {
        var builder = try RecordBuilder(id: "S1", schema: rules.schema)
        let line = #line + 1
        let error = #expect(throws: RecordError.self) { try builder.set("failed_courses", 2.5) }
        #expect(error?.location.file.hasSuffix("RecordBuilderTests.swift") == true)
        #expect(error?.location.line == line)
        #expect(error?.studentID == "S1" && error?.field == "failed_courses")
        #expect(error?.message == (try readerMessage("failed_courses", "2.5")))
        #expect(error?.code == .invalidValue)
        let cases: [(String, String, (inout RecordBuilder) throws(RecordError) -> Void)] = [
            ("gpa", "9", { b throws(RecordError) in try b.set("gpa", 9) }),
            ("gpa", "\"high\"", { b throws(RecordError) in try b.set("gpa", "high") }),
            (
                "family_structure", "\"divorced\"",
                { b throws(RecordError) in try b.set("family_structure", "divorced") }
            ),
            ("diagnosed", "1", { b throws(RecordError) in try b.set("diagnosed", 1) }),
            ("college", "true", { b throws(RecordError) in try b.set("college", true) }),
            ("failed_courses", "1e+300", { b throws(RecordError) in try b.set("failed_courses", 1e300) }),
        ]
        for (key, json, give) in cases {
            let refused = #expect(throws: RecordError.self, "\(key) \(json)") { try give(&builder) }
            #expect(refused?.message == (try readerMessage(key, json)), "\(key) \(json)")
            let reader = try read(#"{"id":"S1",""# + key + #"":"# + json + "}").rejected.first
            #expect(refused?.code != nil && refused?.code == reader?.code, "\(key) \(json)")
        }
        // JSON has no NaN; the builder refuses it as a number out of range.
        let nan = #expect(throws: RecordError.self) { try builder.set("gpa", Double.nan) }
        #expect(nan?.message.hasPrefix("found \"nan\"; expected") == true, "\(String(describing: nan))")
    }

    @Test func unknownNamesAndMalformedResultsAreRefusedWithASuggestion() throws {
        var builder = try RecordBuilder(id: "S1", schema: rules.schema)
        let field = #expect(throws: RecordError.self) { try builder.set("failed_course", 1) }
        #expect(field?.message.contains("found the unknown field \"failed_course\"") == true)
        #expect(field?.message.contains("failed_courses") == true)
        let event = #expect(throws: RecordError.self) {
            try builder.addEvent("night_absense", on: TestSupport.date("2026-11-01"))
        }
        #expect(event?.message == (try readerMessage("events", #"{"night_absense":["2026-11-01"]}"#)))
        let items = #expect(throws: RecordError.self) {
            try builder.addScaleResult("phq9", on: TestSupport.date("2026-11-01"), items: [1, 2, 3])
        }
        #expect(
            items?.message == (try readerMessage("scales", #"[{"scale":"phq9","date":"2026-11-01","items":[1,2,3]}]"#)))
        let answer = #expect(throws: RecordError.self) {
            try builder.addScaleResult("phq9", on: TestSupport.date("2026-11-01"), items: [1, 2, 3, 4, 0, 0, 0, 0, 0])
        }
        #expect(
            answer?.message
                == (try readerMessage("scales", #"[{"scale":"phq9","date":"2026-11-01","items":[1,2,3,4,0,0,0,0,0]}]"#))
        )
        let scale = #expect(throws: RecordError.self) {
            try builder.addScaleResult("gad7", on: TestSupport.date("2026-11-01"), items: [1])
        }
        #expect(scale?.field == "scales" && scale?.message.contains("expected one of the scales: phq9, mini") == true)
        // Refused values leave nothing behind: the record scores as one built with nothing at all.
        let engine = try ScoringEngine(rules: rules)
        let empty = try RecordBuilder(id: "S1", schema: rules.schema).build()
        #expect(
            engine.assess(try builder.build(), asOf: asOf, for: .fullView).explanation
                == engine.assess(empty, asOf: asOf, for: .fullView).explanation)
        let repeated = #expect(throws: RecordError.self) {
            try builder.addScaleResult(
                "mini", on: TestSupport.date("2026-11-02"), scores: ["total": 13, "total": 4], class: "positive")
        }
        #expect(repeated?.code == .duplicateKey)
        #expect(
            repeated?.message
                == (try readerMessage(
                    "scales", #"[{"scale":"mini","date":"2026-11-02","scores":{"total":13,"total":4}}]"#)))
    }

    @Test func aBadIDAndAMissingRequiredFieldAreRefusedAsTheReadersRefuseThem() throws {
        #expect(throws: RecordError.self) { try RecordBuilder(id: "", schema: rules.schema) }
        #expect(throws: RecordError.self) { try RecordBuilder(id: "S\u{202E}1", schema: rules.schema) }
        let path = try TestSupport.directory([
            "rules.yaml": """
            schema:
              fields:
                age: {type: integer, required: true}
            """
        ])
        let schema = try RuleSet.load(from: path).schema
        let builder = try RecordBuilder(id: "R1", schema: schema)
        let missing = #expect(throws: RecordError.self) { try builder.build() }
        #expect(missing?.message == "found no value for the required field age; expected age: integer")
        var complete = try RecordBuilder(id: "R1", schema: schema)
        try complete.set("age", 20)
        #expect(try complete.build().id == "R1")
        // A refused value does not count as given: the record is still missing its required field.
        var refused = try RecordBuilder(id: "R2", schema: schema)
        #expect(throws: RecordError.self) { try refused.set("age", 2.5) }
        let stillMissing = #expect(throws: RecordError.self) { try refused.build() }
        #expect(stillMissing?.code == .missingRequired)
        // Setting again replaces the value; a refused one keeps the earlier.
        try refused.set("age", 30)
        #expect(throws: RecordError.self) { try refused.set("age", 2.5) }
        #expect(try refused.build().id == "R2")
    }
}
