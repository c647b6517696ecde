import Foundation
import RiskScreen
import RiskScreenSynthetic

/// One student of the campus-default schema as a plain Swift struct: the input of ``HandScorer``.
///
/// `StudentRecord` keeps its storage internal to the library, so the benchmarks convert each generated student
/// once, in set-up, from its JSON line (``init(jsonLine:)``). Like the library's readers, the conversion combines
/// the results of one scale on one day into one (the worst answer to each item) and computes each result's scores
/// and class when it reads the items; scoring reads only what is stored here.
/// Every field must be present (the synthetic cohort writes them all) but risk_verified_on and the case facts: the
/// hand-written scorer has no three-valued logic for missing values, and the conversion stops on a missing field
/// rather than guess.
public struct HandStudent: Sendable {
    /// An event kind of the campus-default schema.
    public enum EventKind: UInt8, Sendable, CaseIterable {
        case nightAbsence, truancy, moodSwing, abnormalBehaviour, insomnia, familyChange, romanticSetback
        case suddenEvent, bullyingViolence, peerCrisisExposure, homeVisitFailed, psychLeaveReturn, selfHarmAct
        case harmOthersAct, counsellorContact, campusIncident

        static let byName: [String: EventKind] = [
            "night_absence": .nightAbsence, "truancy": .truancy, "mood_swing_report": .moodSwing,
            "abnormal_behaviour_report": .abnormalBehaviour, "insomnia_report": .insomnia,
            "family_change": .familyChange,
            "romantic_setback": .romanticSetback, "sudden_event": .suddenEvent, "bullying_violence": .bullyingViolence,
            "peer_crisis_exposure": .peerCrisisExposure, "home_visit_failed": .homeVisitFailed,
            "psych_leave_return": .psychLeaveReturn, "self_harm_act": .selfHarmAct, "harm_others_act": .harmOthersAct,
            "counsellor_contact": .counsellorContact, "campus_incident": .campusIncident,
        ]
    }

    /// One dated event.
    public struct Event: Sendable {
        /// What happened.
        public var kind: EventKind
        /// The day number (`CivilDate.dayNumber`).
        public var day: Int32
    }

    /// A scale of the scales rule set.
    public enum ScaleKind: UInt8, Sendable {
        case upi, scl90, phq9, gad7

        /// How many items a result has.
        public var itemCount: Int {
            switch self {
            case .upi: 60
            case .scl90: 90
            case .phq9: 9
            case .gad7: 7
            }
        }
    }

    /// One scale administration, with what the rules read of it.
    public struct Scale: Sendable {
        /// Which scale.
        public var kind: ScaleKind
        /// The day number it was given on (one result per scale and day: results of one day are combined).
        public var day: Int32
        /// The total (UPI: without the lie-check items 5, 20, 35, 50).
        public var total: Int16
        /// UPI item 25, PHQ-9 item 9; 0 for the other scales.
        public var criticalItem: Int8
        /// UPI 第一类, SCL-90 positive, PHQ-9 moderate or worse, GAD-7 moderate or worse.
        public var positiveClass: Bool
        /// UPI 第二类 (not 第一类; total >= 20 or item 8, 16 or 26 answered 是); false for the other scales.
        public var secondClass: Bool = false
    }

    /// The student's id.
    public var id: String
    /// The dorm (the cohort rule roommate_exposure groups by it); nil when missing or empty.
    public var dorm: String?
    /// A dense number for ``dorm`` among the students of one ``convert(_:_:)`` call, -1 when there is no dorm.
    /// Assigned by ``convert(_:_:)`` (set-up), so the cohort rule reads an array, not a dictionary.
    public var dormID: Int32 = -1
    /// The day of enrolled_on.
    public var enrolledOn: Int32
    /// The day of risk_verified_on, `Int32.min` when missing (with the case facts, the only fields the scorer allows
    /// to be missing).
    public var riskVerifiedOn: Int32 = .min
    /// Case fact confirmed_level: the rank in ``HandScorer/levels`` of the level a person confirmed, -1 when missing.
    public var confirmedLevel: Int8 = -1
    /// Case fact confirmed_on: the day the level was confirmed, `Int32.min` when missing.
    public var confirmedOn: Int32 = .min
    /// Case fact closed_on: the day the case was closed (销号), `Int32.min` when missing.
    public var closedOn: Int32 = .min
    /// Case fact left_on: the day the student left, `Int32.min` when missing.
    public var leftOn: Int32 = .min
    /// programme_years.
    public var programmeYears: Int32
    /// failed_courses.
    public var failedCourses: Int32
    /// on_track, no_job, failed_postgrad_exam, cannot_graduate.
    public var graduationStatus: UInt8
    /// intact, single_parent, reconstituted, other_incomplete.
    public var familyStructure: UInt8
    /// none, hardship, severe_hardship.
    public var economicStatus: UInt8
    /// dorm, off_campus_rental, off_campus_accompanied.
    public var residence: UInt8

    /// internet_addiction_observed.
    public var internetAddiction = false
    /// introverted.
    public var introverted = false
    /// academic_pressure_observed.
    public var academicPressure = false
    /// interpersonal_tension_observed.
    public var interpersonalTension = false
    /// adaptation_difficulty_observed.
    public var adaptationDifficulty = false
    /// negative_cognition_observed.
    public var negativeCognition = false
    /// academic_warning_issued.
    public var academicWarning = false
    /// serious_sanction.
    public var seriousSanction = false
    /// on_internship.
    public var onInternship = false
    /// parent_child_conflict.
    public var parentChildConflict = false
    /// family_care_lacking.
    public var familyCareLacking = false
    /// exam_or_job_pressure.
    public var examOrJobPressure = false
    /// postgrad_candidate.
    public var postgradCandidate = false
    /// prior_suicide_attempt.
    public var priorSuicideAttempt = false
    /// family_suicide_history.
    public var familySuicideHistory = false
    /// diagnosed.
    public var diagnosed = false
    /// on_psychiatric_medication.
    public var onPsychiatricMedication = false
    /// treatment_refused.
    public var treatmentRefused = false
    /// long_serious_illness.
    public var longSeriousIllness = false
    /// self_harm_tendency.
    public var selfHarmTendency = false
    /// harm_others_tendency.
    public var harmOthersTendency = false
    /// seeks_help.
    public var seeksHelp = false
    /// peer_warning_active.
    public var peerWarningActive = false
    /// in_treatment_after_referral.
    public var inTreatmentAfterReferral = false
    /// family_school_cooperation.
    public var familySchoolCooperation = false
    /// has_three_friends.
    public var hasThreeFriends = false
    /// mentor_assigned.
    public var mentorAssigned = false
    /// support_systems_in_place.
    public var supportSystemsInPlace = false
    /// family_harmonious.
    public var familyHarmonious = false
    /// attends_post_return_counselling.
    public var attendsPostReturnCounselling = false

    /// The events, sorted by kind, then day.
    public var events: [Event]
    /// The scale results, sorted by day.
    public var scales: [Scale]
}

extension HandStudent {
    /// The conversion failed: a field is missing or has an unexpected value.
    public struct ConversionError: Error, CustomStringConvertible {
        /// What is wrong, with the student's id.
        public let description: String
    }

    /// Reads one JSON line of the form `SyntheticCohort.jsonLine(_:)` writes, with Foundation's JSONSerialization.
    public init(jsonLine: String) throws(ConversionError) {
        guard let data = jsonLine.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw ConversionError(description: "not a JSON object: \(jsonLine.prefix(80))") }
        let id = object["id"] as? String ?? "?"
        func fail(_ message: String) -> ConversionError { ConversionError(description: "\(id): \(message)") }
        func bool(_ name: String) throws(ConversionError) -> Bool {
            guard let value = object[name] as? Bool else { throw fail("missing boolean \(name)") }
            return value
        }
        func int(_ name: String) throws(ConversionError) -> Int32 {
            guard let value = object[name] as? NSNumber else { throw fail("missing number \(name)") }
            return value.int32Value
        }
        func day(_ text: Any?, _ name: String) throws(ConversionError) -> Int32 {
            guard let text = text as? String, let date = CivilDate(iso: text) else {
                throw fail("missing date \(name)")
            }
            return Int32(date.dayNumber)
        }
        func choice(_ name: String, _ values: [String]) throws(ConversionError) -> UInt8 {
            guard let text = object[name] as? String, let index = values.firstIndex(of: text) else {
                throw fail("missing value of \(name)")
            }
            return UInt8(index)
        }
        self.id = id
        if let text = object["dorm"] as? String, !text.isEmpty { dorm = text }
        if object["risk_verified_on"] != nil {
            riskVerifiedOn = try day(object["risk_verified_on"], "risk_verified_on")
        }
        if object["confirmed_level"] != nil {
            confirmedLevel = Int8(try choice("confirmed_level", HandScorer.levels))
        }
        if object["confirmed_on"] != nil { confirmedOn = try day(object["confirmed_on"], "confirmed_on") }
        if object["closed_on"] != nil { closedOn = try day(object["closed_on"], "closed_on") }
        if object["left_on"] != nil { leftOn = try day(object["left_on"], "left_on") }
        enrolledOn = try day(object["enrolled_on"], "enrolled_on")
        programmeYears = try int("programme_years")
        failedCourses = try int("failed_courses")
        graduationStatus = try choice(
            "graduation_status", ["on_track", "no_job", "failed_postgrad_exam", "cannot_graduate"])
        familyStructure = try choice(
            "family_structure", ["intact", "single_parent", "reconstituted", "other_incomplete"])
        economicStatus = try choice("economic_status", ["none", "hardship", "severe_hardship"])
        residence = try choice("residence", ["dorm", "off_campus_rental", "off_campus_accompanied"])
        internetAddiction = try bool("internet_addiction_observed")
        introverted = try bool("introverted")
        academicPressure = try bool("academic_pressure_observed")
        interpersonalTension = try bool("interpersonal_tension_observed")
        adaptationDifficulty = try bool("adaptation_difficulty_observed")
        negativeCognition = try bool("negative_cognition_observed")
        academicWarning = try bool("academic_warning_issued")
        seriousSanction = try bool("serious_sanction")
        onInternship = try bool("on_internship")
        parentChildConflict = try bool("parent_child_conflict")
        familyCareLacking = try bool("family_care_lacking")
        examOrJobPressure = try bool("exam_or_job_pressure")
        postgradCandidate = try bool("postgrad_candidate")
        priorSuicideAttempt = try bool("prior_suicide_attempt")
        familySuicideHistory = try bool("family_suicide_history")
        diagnosed = try bool("diagnosed")
        onPsychiatricMedication = try bool("on_psychiatric_medication")
        treatmentRefused = try bool("treatment_refused")
        longSeriousIllness = try bool("long_serious_illness")
        selfHarmTendency = try bool("self_harm_tendency")
        harmOthersTendency = try bool("harm_others_tendency")
        seeksHelp = try bool("seeks_help")
        peerWarningActive = try bool("peer_warning_active")
        inTreatmentAfterReferral = try bool("in_treatment_after_referral")
        familySchoolCooperation = try bool("family_school_cooperation")
        hasThreeFriends = try bool("has_three_friends")
        mentorAssigned = try bool("mentor_assigned")
        supportSystemsInPlace = try bool("support_systems_in_place")
        familyHarmonious = try bool("family_harmonious")
        attendsPostReturnCounselling = try bool("attends_post_return_counselling")

        var events: [Event] = []
        if let byKind = object["events"] as? [String: Any] {
            for (name, dates) in byKind {
                guard let kind = EventKind.byName[name], let dates = dates as? [Any] else {
                    throw fail("unknown event \(name)")
                }
                for date in dates { events.append(Event(kind: kind, day: try day(date, name))) }
            }
        }
        self.events = events.sorted { ($0.kind.rawValue, $0.day) < ($1.kind.rawValue, $1.day) }

        // Results of one scale on one day are combined first, as the library's readers do: the worst (highest)
        // answer to each item (none of these scales has a reverse-scored item), then scores and class from those.
        var given: [(kind: ScaleKind, day: Int32, items: [Int])] = []
        for entry in object["scales"] as? [[String: Any]] ?? [] {
            let items = (entry["items"] as? [NSNumber] ?? []).map(\.intValue)
            let day = try day(entry["date"], "scale date")
            let kind: ScaleKind
            switch entry["scale"] as? String {
            case "upi": kind = .upi
            case "scl90": kind = .scl90
            case "phq9": kind = .phq9
            case "gad7": kind = .gad7
            default: throw fail("unknown scale")
            }
            guard items.count == kind.itemCount else { throw fail("\(kind) needs \(kind.itemCount) items") }
            if let same = given.firstIndex(where: { $0.kind == kind && $0.day == day }) {
                given[same].items = zip(given[same].items, items).map { max($0, $1) }
            } else {
                given.append((kind, day, items))
            }
        }
        let scales = given.map { Self.scale($0.kind, day: $0.day, items: $0.items) }
        self.scales = scales.sorted { $0.day < $1.day }
    }

    /// One result with what the rules read of it: scores and class from the items (`items.count` is the scale's).
    static func scale(_ kind: ScaleKind, day: Int32, items: [Int]) -> Scale {
        switch kind {
        case .upi:
            let lieCheck: Set<Int> = [5, 20, 35, 50]
            let total = items.indices.filter { !lieCheck.contains($0 + 1) }.reduce(0) { $0 + items[$1] }
            let item25 = items[24]
            let firstClass = total >= 25 || item25 == 1
            let secondClass = !firstClass && (total >= 20 || items[7] == 1 || items[15] == 1 || items[25] == 1)
            return Scale(
                kind: .upi, day: day, total: Int16(total), criticalItem: Int8(item25), positiveClass: firstClass,
                secondClass: secondClass)
        case .scl90:
            let total = items.reduce(0, +)
            let positiveItems = items.filter { $0 >= 2 }.count
            // The nine factors (the "other" factor is not one of them); positive when a factor mean >= 2.
            let factors: [[Int]] = [
                [1, 4, 12, 27, 40, 42, 48, 49, 52, 53, 56, 58], [3, 9, 10, 28, 38, 45, 46, 51, 55, 65],
                [6, 21, 34, 36, 37, 41, 61, 69, 73], [5, 14, 15, 20, 22, 26, 29, 30, 31, 32, 54, 71, 79],
                [2, 17, 23, 33, 39, 57, 72, 78, 80, 86], [11, 24, 63, 67, 74, 81], [13, 25, 47, 50, 70, 75, 82],
                [8, 18, 43, 68, 76, 83], [7, 16, 35, 62, 77, 84, 85, 87, 88, 90],
            ]
            let factorPositive = factors.contains { factor in
                factor.reduce(0) { $0 + items[$1 - 1] } >= 2 * factor.count
            }
            return Scale(
                kind: .scl90, day: day, total: Int16(total), criticalItem: 0,
                positiveClass: total >= 160 || positiveItems > 43 || factorPositive)
        case .phq9:
            let total = items.reduce(0, +)
            return Scale(
                kind: .phq9, day: day, total: Int16(total), criticalItem: Int8(items[8]), positiveClass: total >= 10)
        case .gad7:
            let total = items.reduce(0, +)
            return Scale(kind: .gad7, day: day, total: Int16(total), criticalItem: 0, positiveClass: total >= 10)
        }
    }

    /// Students `range` of a synthetic cohort, converted from their JSON lines on all cores.
    public static func convert(_ cohort: SyntheticCohort, _ range: Range<Int>) throws(ConversionError) -> [HandStudent]
    {
        let slots = UnsafeMutableBufferPointer<Result<HandStudent, ConversionError>?>.allocate(capacity: range.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let output = SendablePointer(base: slots.baseAddress!)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let chunk = (range.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for offset in (worker * chunk)..<min(range.count, (worker + 1) * chunk) {
                let line = cohort.jsonLine(range.lowerBound + offset)
                output.base[offset] = Result { () throws(ConversionError) in try HandStudent(jsonLine: line) }
            }
        }
        var students: [HandStudent] = []
        students.reserveCapacity(range.count)
        for slot in slots { students.append(try slot!.get()) }
        // Dense dorm numbers for the cohort rule (set-up work, like the engine's reading of the text field).
        var dorms: [String: Int32] = [:]
        for index in students.indices {
            guard let dorm = students[index].dorm else { continue }
            if let known = dorms[dorm] {
                students[index].dormID = known
            } else {
                let next = Int32(dorms.count)
                dorms[dorm] = next
                students[index].dormID = next
            }
        }
        return students
    }
}

/// A pointer handed to worker threads that write disjoint indices.
struct SendablePointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
