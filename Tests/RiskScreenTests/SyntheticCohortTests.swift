import Testing

@testable import RiskScreenRecords
@testable import RiskScreenRules
@testable import RiskScreenSynthetic

/// The synthetic cohort follows the rule set it is generated for: the order fields are declared in changes no rule
/// of the model, and enrolment follows the calendar's academic year.
@Suite struct SyntheticCohortTests {
    /// A rule set whose schema declares dependent fields before the fields they depend on.
    static func rules(fields: String, calendar: String = "") throws -> RuleSet {
        let path = try TestSupport.directory([
            "rules.yaml": """
            schema:
              enrolment: enrolled_on
              fields:
            \(fields)
            \(calendar)
            levels:
              - id: none
              - id: attention
                from: 1
            indicators:
              - id: medicated
                label: Medicated
                dimension: knowable
                when: "on_psychiatric_medication"
                points: 1

            """
        ])
        return try RuleSet.load(from: path)
    }

    static func value(_ record: StudentRecord, _ field: String, in rules: RuleSet) throws -> Double {
        let slot = try #require(rules.schema.fields.first { $0.name == field }).slot
        return record.value(slot: slot)
    }

    @Test func aConditionalFieldDeclaredBeforeItsConditionStillOccursOnlyWithIt() throws {
        // `on_psychiatric_medication` is drawn only for diagnosed students (given: diagnosed); here the schema
        // declares it first.
        let rules = try Self.rules(
            fields: """
                    on_psychiatric_medication: boolean
                    diagnosed: boolean
                    enrolled_on: date
                """)
        let records = SyntheticCohort(rules: rules, seed: 3, asOf: CivilDate(iso: "2026-11-23")!).records(0..<4_000)
        var medicated = 0
        for record in records where try Self.value(record, "on_psychiatric_medication", in: rules) == 1 {
            medicated += 1
            #expect(try Self.value(record, "diagnosed", in: rules) == 1, "\(record.id) is medicated but not diagnosed")
        }
        // About 1 % of students are diagnosed and 60 % of them medicated: 4,000 students give some.
        #expect(medicated > 5)
    }

    @Test func graduationStatusDeclaredBeforeProgrammeYearsFollowsTheFinalYear() throws {
        // Only final-year students (year of study ≥ programme years) have a status other than on_track.
        let rules = try Self.rules(
            fields: """
                    graduation_status: {type: enumeration, values: [on_track, delayed, at_risk, failed]}
                    programme_years: {type: integer, min: 3, max: 5}
                    enrolled_on: date
                    on_psychiatric_medication: boolean
                """)
        let asOf = CivilDate(iso: "2026-11-23")!
        let records = SyntheticCohort(rules: rules, seed: 5, asOf: asOf).records(0..<6_000)
        var offTrack = 0
        var longProgrammeOffTrack = 0
        for record in records where try Self.value(record, "graduation_status", in: rules) != 0 {
            offTrack += 1
            let enrolled = CivilDate(dayNumber: Int(try Self.value(record, "enrolled_on", in: rules)))
            let studyYear = 2026 - enrolled.components.year + 1
            let programme = Int(try Self.value(record, "programme_years", in: rules))
            #expect(studyYear >= programme, "\(record.id): year \(studyYear) of \(programme) is not final")
            if programme == 5 { longProgrammeOffTrack += 1 }
        }
        #expect(offTrack > 50)
        // Five-year programmes (8 %) in their fifth year (2 %): off track only there, so rarely.
        #expect(longProgrammeOffTrack < offTrack / 5)
    }

    @Test func enrolmentFollowsTheCalendarsAcademicYear() throws {
        let fields = """
                enrolled_on: date
                on_psychiatric_medication: boolean
            """
        let february = try Self.rules(fields: fields, calendar: "calendar:\n  academic_year_starts: \"02-20\"")
        let september = try Self.rules(fields: fields)
        // 2026-01-10 lies before a February start: that academic year began on 2025-02-20, and a first-year
        // student enrolled then.
        let asOf = CivilDate(iso: "2026-01-10")!
        for (rules, month, day) in [(february, 2, 20), (september, 9, 1)] {
            let records = SyntheticCohort(rules: rules, seed: 9, asOf: asOf).records(0..<500)
            var years: Set<Int> = []
            for record in records {
                let enrolled = CivilDate(dayNumber: Int(try Self.value(record, "enrolled_on", in: rules))).components
                #expect(enrolled.month == month && enrolled.day == day)
                years.insert(enrolled.year)
            }
            // Years of study 1–5 as of 2026-01-10: the newest enrolment is the start of the current academic year.
            #expect(years.max() == 2025)
        }
    }
}

/// Generated dorms hold about five students whatever the size of the cohort.
@Suite struct SyntheticDormTests {
    @Test func everyThirtySixThousandStudentsLiveOnACampusOfTheirOwn() throws {
        let rules = try RuleSet.load(from: TestSupport.campusDefault)
        let dorm = try #require(rules.schema.fields.first { $0.name == "dorm" })
        let cohort = SyntheticCohort(rules: rules, seed: 11, asOf: CivilDate(iso: "2026-03-15")!)
        let perCampus = SyntheticCohort.studentsPerCampus
        let dorms = try [0, perCampus - 1, perCampus, 2 * perCampus - 1, 2 * perCampus, 27 * perCampus + 5].map {
            try #require(cohort.records($0..<($0 + 1))[0].text(dorm))
        }
        // The first campus's dorms are named as before there were campuses: a building, then a room.
        #expect(dorms[0].wholeMatch(of: /[0-9]+栋[1-6][0-9][0-9]/) != nil, "\(dorms[0])")
        #expect(dorms[1].wholeMatch(of: /[0-9]+栋[1-6][0-9][0-9]/) != nil, "\(dorms[1])")
        #expect(dorms[2].hasPrefix("2校区") && dorms[3].hasPrefix("2校区"), "\(dorms[2]), \(dorms[3])")
        #expect(dorms[4].hasPrefix("3校区"), "\(dorms[4])")
        #expect(dorms[5].hasPrefix("28校区"), "\(dorms[5])")
        // A student is the same whatever slice it is generated in.
        #expect(cohort.records(perCampus..<(perCampus + 3))[0].text(dorm) == dorms[2])
    }

    @Test func aCampusHoldsAboutFiveStudentsARoom() throws {
        let rules = try RuleSet.load(from: TestSupport.campusDefault)
        let dorm = try #require(rules.schema.fields.first { $0.name == "dorm" })
        let cohort = SyntheticCohort(rules: rules, seed: 11, asOf: CivilDate(iso: "2026-03-15")!)
        // The second campus whole, and the first students of the third.
        let records = cohort.records(SyntheticCohort.studentsPerCampus..<(2 * SyntheticCohort.studentsPerCampus + 100))
        var rooms: [String: Int] = [:]
        for record in records { rooms[try #require(record.text(dorm)), default: 0] += 1 }
        let secondCampus = rooms.filter { $0.key.hasPrefix("2校区") }
        #expect(secondCampus.values.reduce(0, +) == SyntheticCohort.studentsPerCampus)
        #expect(secondCampus.count > 7_000 && secondCampus.count <= 7_200, "\(secondCampus.count) rooms")
        #expect((secondCampus.values.max() ?? 0) <= 20, "the fullest room holds \(secondCampus.values.max() ?? 0)")
    }
}
