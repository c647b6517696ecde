import Foundation
import RiskScreen

/// The campus-default rules (Rules/campus-default with Rules/scales) written out by hand in plain Swift.
///
/// It is the reference for what the engine costs: the same indicators, points, calendar effects, protective
/// factors, level thresholds, cap, escalations and (in the batch call) the cohort rule, which reads the case facts
/// (a crisis a person confirmed, or one an escalation that acts at once set) and needs a recent act fired, with
/// every parameter inlined as a constant; the calendar (which windows hold, the points after effects) is worked out
/// once per as-of date, as the engine's plan does. It answers the score, the level and which indicators fired; it builds no explanation and owes
/// no duties (actions.yaml: they never change a level). ScorerCheck proves that it agrees with the engine. A change
/// to the rule files needs the same change here.
public struct HandScorer: Sendable {
    /// Level names by rank.
    public static let levels = ["none", "attention", "focus", "high", "crisis"]

    /// Indicator ids by bit of ``Result/fired``: the risk indicators grouped by dimension (so that a
    /// `fired_count(dimension)` is one population count of a mask), then the protective factors.
    public static let indicatorIDs = [
        // observable 0–10
        "mood_swing", "abnormal_behaviour", "insomnia", "family_change", "internet_addiction", "truancy",
        "introversion", "academic_pressure", "interpersonal_tension", "adaptation_difficulty", "negative_cognition",
        // checkable 11–18
        "exam_failure", "fail_by_year", "academic_warning", "serious_discipline", "environment_change",
        "graduation_setback", "stressor_with_distress", "unwatched_key_student",
        // knowable 19–35
        "night_absence", "romantic_setback", "incomplete_family", "economic_hardship", "parent_child_tension",
        "lacks_family_care", "study_job_pressure", "off_campus_living", "home_contact_failed", "bullying_violence",
        "sudden_event", "positive_scale", "severe_scale", "upi_positive", "upi_first_class", "scale_self_harm_earlier",
        "scale_self_harm_item",
        // history 36–41
        "peer_crisis_exposure", "suicide_attempt_history", "harm_others_history", "family_suicide",
        "serious_physical_illness", "psych_leave_return",
        // clinical 42–44
        "diagnosed_mental_illness", "psychiatric_medication", "refuses_treatment",
        // red_flag 45–48
        "recent_self_harm_act", "self_harm_risk", "recent_harm_others_act", "harm_others_risk",
        // time_node 49–57
        "term_start", "freshman_intake", "exam_period", "pre_graduation", "job_hunting", "postgrad_exam_season",
        "spring_autumn", "post_event", "time_node_pressure",
        // protective 58–66 (bit n - 58 of ``Result/protective``)
        "help_seeking", "peer_warning", "referral_success", "family_school_coop", "three_friends", "three_teams",
        "support_systems", "family_harmony", "post_return_counselling",
    ]

    /// Bits of ``Result/fired`` (risk indicators) and of ``Result/protective``.
    @usableFromInline
    enum Bit {
        // observable
        static let moodSwing: UInt64 = 1 << 0
        static let abnormalBehaviour: UInt64 = 1 << 1
        static let insomnia: UInt64 = 1 << 2
        static let familyChange: UInt64 = 1 << 3
        static let internetAddiction: UInt64 = 1 << 4
        static let truancy: UInt64 = 1 << 5
        static let introversion: UInt64 = 1 << 6
        static let academicPressure: UInt64 = 1 << 7
        static let interpersonalTension: UInt64 = 1 << 8
        static let adaptationDifficulty: UInt64 = 1 << 9
        static let negativeCognition: UInt64 = 1 << 10
        // checkable
        static let examFailure: UInt64 = 1 << 11
        static let failByYear: UInt64 = 1 << 12
        static let academicWarning: UInt64 = 1 << 13
        static let seriousDiscipline: UInt64 = 1 << 14
        static let environmentChange: UInt64 = 1 << 15
        static let graduationSetback: UInt64 = 1 << 16
        static let stressorWithDistress: UInt64 = 1 << 17
        static let unwatchedKeyStudent: UInt64 = 1 << 18
        // knowable
        static let nightAbsence: UInt64 = 1 << 19
        static let romanticSetback: UInt64 = 1 << 20
        static let incompleteFamily: UInt64 = 1 << 21
        static let economicHardship: UInt64 = 1 << 22
        static let parentChildTension: UInt64 = 1 << 23
        static let lacksFamilyCare: UInt64 = 1 << 24
        static let studyJobPressure: UInt64 = 1 << 25
        static let offCampusLiving: UInt64 = 1 << 26
        static let homeContactFailed: UInt64 = 1 << 27
        static let bullyingViolence: UInt64 = 1 << 28
        static let suddenEvent: UInt64 = 1 << 29
        static let positiveScale: UInt64 = 1 << 30
        static let severeScale: UInt64 = 1 << 31
        static let upiPositive: UInt64 = 1 << 32
        static let upiFirstClass: UInt64 = 1 << 33
        static let scaleSelfHarmEarlier: UInt64 = 1 << 34
        static let scaleSelfHarmItem: UInt64 = 1 << 35
        // history
        static let peerCrisisExposure: UInt64 = 1 << 36
        static let suicideAttemptHistory: UInt64 = 1 << 37
        static let harmOthersHistory: UInt64 = 1 << 38
        static let familySuicide: UInt64 = 1 << 39
        static let seriousPhysicalIllness: UInt64 = 1 << 40
        static let psychLeaveReturn: UInt64 = 1 << 41
        // clinical
        static let diagnosedMentalIllness: UInt64 = 1 << 42
        static let psychiatricMedication: UInt64 = 1 << 43
        static let refusesTreatment: UInt64 = 1 << 44
        // red_flag
        static let recentSelfHarmAct: UInt64 = 1 << 45
        static let selfHarmRisk: UInt64 = 1 << 46
        static let recentHarmOthersAct: UInt64 = 1 << 47
        static let harmOthersRisk: UInt64 = 1 << 48
        // time_node
        static let termStart: UInt64 = 1 << 49
        static let freshmanIntake: UInt64 = 1 << 50
        static let examPeriod: UInt64 = 1 << 51
        static let preGraduation: UInt64 = 1 << 52
        static let jobHunting: UInt64 = 1 << 53
        static let postgradExamSeason: UInt64 = 1 << 54
        static let springAutumn: UInt64 = 1 << 55
        static let postEvent: UInt64 = 1 << 56
        static let timeNodePressure: UInt64 = 1 << 57

        // dimensions (fired_count counts risk indicators only)
        static let observable: UInt64 = 0x7FF  // bits 0–10
        static let checkable: UInt64 = 0xFF << 11  // bits 11–18
        static let knowable: UInt64 = 0x1FFFF << 19  // bits 19–35
        static let history: UInt64 = 0x3F << 36  // bits 36–41
        static let clinical: UInt64 = 0x7 << 42  // bits 42–44
        static let redFlag: UInt64 = 0xF << 45  // bits 45–48
        static let timeNodes: UInt64 = 0xFF << 49  // bits 49–56, every time node but time_node_pressure
        /// The red flags that are acts: cohort rule roommate_exposure's `when_fired`.
        static let recentActs: UInt64 = recentSelfHarmAct | recentHarmOthersAct
        /// The knowable indicators named in cap scale_alone's `not (…)`: every knowable one but the five scale indicators.
        static let knowableOutsideScales: UInt64 =
            nightAbsence | romanticSetback | incompleteFamily | economicHardship | parentChildTension | lacksFamilyCare
            | studyJobPressure | offCampusLiving | homeContactFailed | bullyingViolence | suddenEvent
        /// The 可查 records cross-screening names beside an observed sign and a knowable fact (failed courses only in
        /// 003 方案2's key group, fail_by_year).
        static let crossScreenRecords: UInt64 =
            academicWarning | seriousDiscipline | failByYear | environmentChange | graduationSetback

        // protective (``Result/protective``)
        static let helpSeeking: UInt16 = 1 << 0
        static let peerWarning: UInt16 = 1 << 1
        static let referralSuccess: UInt16 = 1 << 2
        static let familySchoolCoop: UInt16 = 1 << 3
        static let threeFriends: UInt16 = 1 << 4
        static let threeTeams: UInt16 = 1 << 5
        static let supportSystems: UInt16 = 1 << 6
        static let familyHarmony: UInt16 = 1 << 7
        static let postReturnCounselling: UInt16 = 1 << 8
    }

    /// One student's result.
    public struct Result: Sendable, Equatable {
        /// Risk points minus protective points, after the calendar effects.
        public var score: Int32
        /// The rank in ``HandScorer/levels``.
        public var level: Int32
        /// One bit per risk indicator of ``HandScorer/indicatorIDs`` (bits 0–57).
        public var fired: UInt64
        /// One bit per protective factor of ``HandScorer/indicatorIDs`` (ids 58–66, bits 0–8).
        public var protective: UInt16
        /// The rank of the level that acts before a person verifies the screening: the confirmed level or the highest
        /// set by an escalation that acts at once, whichever is higher; 0 for a closed case, -1 for a student who left
        /// (the engine's `CaseState.actingRank`, and its rank for one who left). The cohort rule, which needs a
        /// confirmation, reads it: a student who left neither triggers it nor is raised by it.
        public var acting: Int32

        /// Whether the student triggers the cohort rule roommate_exposure: a crisis that acts (``acting``) and a
        /// recent act fired (`when_fired: [recent_self_harm_act, recent_harm_others_act]`).
        public var raisesRoommates: Bool { acting >= 4 && fired & Bit.recentActs != 0 }

        /// A result with nothing fired, at the lowest level.
        public init() {
            score = 0
            level = 0
            fired = 0
            protective = 0
            acting = 0
        }

        /// The ids of the indicators that fired.
        public var firedIDs: Set<String> {
            Set(
                HandScorer.indicatorIDs.indices.filter { index in
                    index < 58 ? fired & (1 << UInt64(index)) != 0 : protective & (1 << UInt16(index - 58)) != 0
                }.map { HandScorer.indicatorIDs[$0] })
        }
    }

    let asOf: Int32
    /// The academic year (by its starting year, 1 September) of the as-of date.
    let academicYear: Int32
    // Windows (calendar.yaml) that hold on the date, for the time nodes limited by `during:`.
    let termStart: Bool
    let freshmanIntake: Bool
    let exams: Bool
    let graduationSeason: Bool
    let recruiting: Bool  // autumn_recruiting or spring_recruiting (job_hunting)
    let postgradExam: Bool
    let springAutumn: Bool
    // Points after the calendar effects in force on the date.
    let introversionPoints: Int32
    let helpSeekingPoints: Int32

    /// A scorer for one as-of date: the calendar is worked out here, once.
    public init(asOf date: CivilDate) {
        asOf = Int32(date.dayNumber)
        let (year, month, day) = date.components
        let monthDay = month * 100 + day
        func within(_ from: Int, _ to: Int) -> Bool {
            from <= to ? (from <= monthDay && monthDay <= to) : (monthDay >= from || monthDay <= to)
        }
        academicYear = Int32(monthDay >= 901 ? year : year - 1)
        termStart = within(215, 315) || within(825, 930)
        freshmanIntake = within(901, 1015)
        exams = within(1220, 120) || within(615, 710)
        graduationSeason = within(501, 705)
        recruiting = within(901, 1130) || within(301, 430)
        postgradExam = within(1201, 1231)
        springAutumn = within(301, 531) || within(901, 1130)
        let awarenessDays = within(501, 531) || within(1001, 1031)
        let dayNumber = date.dayNumber
        let hundredDayCampaign =
            CivilDate(year: 2021, month: 4, day: 26)!.dayNumber <= dayNumber
            && dayNumber <= CivilDate(year: 2021, month: 8, day: 3)!.dayNumber
        // effects: awareness_days × awareness_factor 1, hundred_day_campaign × campaign_factor 1 (no exam, graduation
        // or intake multiplier: the time nodes carry them, +1 once)
        introversionPoints = 2 * (hundredDayCampaign ? 1 : 1)
        helpSeekingPoints = 2 * (awarenessDays ? 1 : 1)
    }

    /// The academic year (by its starting year) of a day number: Howard Hinnant's civil_from_days.
    @inline(__always)
    static func academicYear(ofDay dayNumber: Int32) -> Int32 {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let year = yoe + era * 400 + (mp >= 10 ? 1 : 0)
        // mp counts months from March: 6 is September.
        return Int32(mp >= 6 && mp < 10 ? year : year - 1)
    }

    /// Scores one student on its own (every rule but the cohort rule, which needs the batch; ``Result/acting`` holds
    /// what it reads).
    public func score(_ student: HandStudent) -> Result {
        let asOf = self.asOf
        // Events: counts inside each kind's window (asOf - days < day <= asOf), all-time counts up to as-of, the
        // latest day on or before as-of of the reports followed_by looks for, and the earliest day inside the window
        // of the stressors it starts from.
        var mood = 0
        var abnormal = 0
        var insomnia = 0
        var familyChange = 0
        var nightAbsenceDays = 0
        var lastNightAbsence = Int32.min
        var truancy = 0
        var romance = 0
        var sudden = 0
        var bullying = 0
        var peerCrisis = 0
        var homeVisit = 0
        var psychLeave = 0
        var campusIncident = 0
        var selfHarmRecent = 0
        var selfHarmEver = 0
        var harmOthersRecent = 0
        var harmOthersEver = 0
        var latestMood = Int32.min
        var latestAbnormal = Int32.min
        var earliestFamilyChange = Int32.max
        var earliestRomance = Int32.max
        var earliestSudden = Int32.max
        for event in student.events {
            let age = asOf &- event.day
            if age < 0 { continue }
            switch event.kind {
            case .moodSwing:
                if age < 30 { mood += 1 }
                latestMood = max(latestMood, event.day)
            case .abnormalBehaviour:
                if age < 30 { abnormal += 1 }
                latestAbnormal = max(latestAbnormal, event.day)
            case .insomnia: if age < 30 { insomnia += 1 }
            case .nightAbsence:
                // count_days: distinct days (the events are sorted by kind, then day, so reports of one day are
                // next to each other).
                if age < 30 && event.day != lastNightAbsence {
                    nightAbsenceDays += 1
                    lastNightAbsence = event.day
                }
            case .truancy: if age < 30 { truancy += 1 }
            case .homeVisitFailed: if age < 30 { homeVisit += 1 }
            case .romanticSetback:
                if age < 90 {
                    romance += 1
                    earliestRomance = min(earliestRomance, event.day)
                }
            case .suddenEvent:
                if age < 90 {
                    sudden += 1
                    earliestSudden = min(earliestSudden, event.day)
                }
            case .peerCrisisExposure: if age < 90 { peerCrisis += 1 }
            case .campusIncident: if age < 90 { campusIncident += 1 }
            case .familyChange:
                if age < 180 {
                    familyChange += 1
                    earliestFamilyChange = min(earliestFamilyChange, event.day)
                }
            case .bullyingViolence: if age < 180 { bullying += 1 }
            case .selfHarmAct:
                if age < 180 { selfHarmRecent += 1 }
                selfHarmEver += 1
            case .harmOthersAct:
                if age < 180 { harmOthersRecent += 1 }
                harmOthersEver += 1
            case .psychLeaveReturn: if age < 365 { psychLeave += 1 }
            case .counsellorContact: break  // a duty's (actions.yaml); never reopens a closed case
            }
        }
        // Scales: the latest administration of each on or before the as-of date (latest(scale, days) is missing
        // when that one is older than the window), and the latest with a death/self-harm answer (PHQ-9 item 9 >= 1,
        // UPI item 25 == 1): any(scale, days, …) holds, and latest(scale, days, …) is that one, when it is inside the
        // window.
        var upiDay = Int32.min
        var sclDay = Int32.min
        var phqDay = Int32.min
        var gadDay = Int32.min
        var upiFirst = false
        var upiSecond = false
        var sclPositive = false
        var phqTotal: Int16 = 0
        var phqPositive = false
        var upiSelfHarmDay = Int32.min
        var phqSelfHarmDay = Int32.min
        var gadTotal: Int16 = 0
        var gadPositive = false
        for scale in student.scales where scale.day <= asOf {
            switch scale.kind {
            case .upi:
                if scale.criticalItem == 1 { upiSelfHarmDay = max(upiSelfHarmDay, scale.day) }
                guard scale.day >= upiDay else { continue }
                upiDay = scale.day
                upiFirst = scale.positiveClass
                upiSecond = scale.secondClass
            case .scl90:
                guard scale.day >= sclDay else { continue }
                sclDay = scale.day
                sclPositive = scale.positiveClass
            case .phq9:
                if scale.criticalItem >= 1 { phqSelfHarmDay = max(phqSelfHarmDay, scale.day) }
                guard scale.day >= phqDay else { continue }
                phqDay = scale.day
                phqTotal = scale.total
                phqPositive = scale.positiveClass
            case .gad7:
                guard scale.day >= gadDay else { continue }
                gadDay = scale.day
                gadTotal = scale.total
                gadPositive = scale.positiveClass
            }
        }
        // scale_days 180, red_flag_scale_days 30
        let scaleFrom = asOf &- 180
        let upiCurrent = upiDay > scaleFrom
        let sclCurrent = sclDay > scaleFrom
        let phqCurrent = phqDay > scaleFrom
        let gadCurrent = gadDay > scaleFrom
        let redFlagFrom = asOf &- 30

        // study_year(); 0 when enrolled_on is after the as-of date (not yet known: study_year() is missing, so every
        // comparison with it is unknown and no condition that needs one holds: fail_by_year does not fire, while
        // exam_failure, which reads the failures alone, does).
        let studyYear =
            student.enrolledOn <= asOf ? academicYear - Self.academicYear(ofDay: student.enrolledOn) + 1 : 0
        let finalYear = studyYear >= student.programmeYears

        var f: UInt64 = 0
        var score: Int32 = 0

        // 可感 observable
        let moodSwing = mood >= 1
        let abnormalBehaviour = abnormal >= 1
        let distress = moodSwing || abnormalBehaviour
        if moodSwing {
            f |= Bit.moodSwing
            score += 2
        }
        if abnormalBehaviour {
            f |= Bit.abnormalBehaviour
            score += 2
        }
        if insomnia >= 1 {
            f |= Bit.insomnia
            score += 1
        }
        let familyChanged = familyChange >= 1
        if familyChanged {
            f |= Bit.familyChange
            score += 2
        }
        if student.internetAddiction {
            f |= Bit.internetAddiction
            score += 2
        }
        if truancy >= 3 {
            f |= Bit.truancy
            score += 1
        }
        if student.introverted {
            f |= Bit.introversion
            score += introversionPoints
        }
        if student.academicPressure {
            f |= Bit.academicPressure
            score += 1
        }
        if student.interpersonalTension {
            f |= Bit.interpersonalTension
            score += 1
        }
        if student.adaptationDifficulty {
            f |= Bit.adaptationDifficulty
            score += 1
        }
        if student.negativeCognition {
            f |= Bit.negativeCognition
            score += 2
        }
        // 可知 (the two event-based ones stressor_with_distress reads)
        if nightAbsenceDays >= 2 {
            f |= Bit.nightAbsence
            score += 2
        }
        let romanticSetback = romance >= 1
        if romanticSetback {
            f |= Bit.romanticSetback
            score += 2
        }
        // 可查 checkable: failed courses in two bands that add up, any failure and the key group on top
        let examFailure = student.failedCourses >= 1
        if examFailure {
            f |= Bit.examFailure
            score += 1
        }
        let failByYear =
            (studyYear == 1 && student.failedCourses >= 1) || (studyYear >= 2 && student.failedCourses >= 3)
        if failByYear {
            f |= Bit.failByYear
            score += 1
        }
        if student.academicWarning {
            f |= Bit.academicWarning
            score += 1
        }
        let seriousDiscipline = student.seriousSanction && distress
        if seriousDiscipline {
            f |= Bit.seriousDiscipline
            score += 1
        }
        if student.onInternship {
            f |= Bit.environmentChange
            score += 1
        }
        let graduationSetback = student.graduationStatus != 0
        if graduationSetback {
            f |= Bit.graduationSetback
            score += 2
        }
        // followed_by(stressor, report, days, days): some stressor inside its window is followed on its day or up to
        // `days` later by a report on or before as-of. A report on or before as-of comes less than `days` after a
        // stressor inside the window, so there is such a pair exactly when the latest report is on or after the
        // earliest stressor inside the window.
        let suddenEvent = sudden >= 1
        let stressorWithDistress =
            (familyChanged
                && ((moodSwing && latestMood >= earliestFamilyChange)
                    || (abnormalBehaviour && latestAbnormal >= earliestFamilyChange)))
            || (romanticSetback
                && ((moodSwing && latestMood >= earliestRomance)
                    || (abnormalBehaviour && latestAbnormal >= earliestRomance)))
            || (suddenEvent
                && ((moodSwing && latestMood >= earliestSudden)
                    || (abnormalBehaviour && latestAbnormal >= earliestSudden)))
            || ((student.academicWarning || seriousDiscipline || student.adaptationDifficulty
                || student.academicPressure
                || student.interpersonalTension) && distress)
        if stressorWithDistress {
            f |= Bit.stressorWithDistress
            score += 3
        }
        // 可知 knowable
        if student.familyStructure != 0 {
            f |= Bit.incompleteFamily
            score += 1
        }
        if student.economicStatus != 0 {
            f |= Bit.economicHardship
            score += 1
        }
        if student.parentChildConflict {
            f |= Bit.parentChildTension
            score += 1
        }
        if student.familyCareLacking {
            f |= Bit.lacksFamilyCare
            score += 2
        }
        let positiveScale = (sclCurrent && sclPositive) || (phqCurrent && phqPositive) || (gadCurrent && gadPositive)
        if positiveScale {
            f |= Bit.positiveScale
            score += 3
        }
        if (phqCurrent && phqTotal >= 15) || (gadCurrent && gadTotal >= 15) {
            f |= Bit.severeScale
            score += 6
        }
        // UPI in two bands that add up: second class or worse, and first class on top
        let upiPositive = upiCurrent && (upiFirst || upiSecond)
        if upiPositive {
            f |= Bit.upiPositive
            score += 2
        }
        if upiCurrent && upiFirst {
            f |= Bit.upiFirstClass
            score += 1
        }
        // scale_self_harm_item first: scale_self_harm_earlier reads it. The newest answer inside
        // red_flag_scale_days, unless risk_verified_on is on or after it; a verification after the as-of date is not
        // yet known (missing, `Int32.min`, which is before every day).
        let verified = student.riskVerifiedOn > asOf ? Int32.min : student.riskVerifiedOn
        let scaleSelfHarmItem =
            (phqSelfHarmDay > redFlagFrom && verified < phqSelfHarmDay)
            || (upiSelfHarmDay > redFlagFrom && verified < upiSelfHarmDay)
        if (phqSelfHarmDay > scaleFrom || upiSelfHarmDay > scaleFrom) && !scaleSelfHarmItem {
            f |= Bit.scaleSelfHarmEarlier
            score += 3
        }
        if scaleSelfHarmItem {
            f |= Bit.scaleSelfHarmItem
            score += 5
        }
        let studyJobPressure = student.examOrJobPressure
        if studyJobPressure {
            f |= Bit.studyJobPressure
            score += 1
        }
        if student.residence != 0 {
            f |= Bit.offCampusLiving
            score += 1
        }
        if homeVisit >= 1 {
            f |= Bit.homeContactFailed
            score += 1
        }
        if bullying >= 1 {
            f |= Bit.bullyingViolence
            score += 3
        }
        if suddenEvent {
            f |= Bit.suddenEvent
            score += 2
        }
        // history
        if peerCrisis >= 1 {
            f |= Bit.peerCrisisExposure
            score += 2
        }
        let suicideAttemptHistory = student.priorSuicideAttempt || selfHarmEver >= 1
        if suicideAttemptHistory {
            f |= Bit.suicideAttemptHistory
            score += 3
        }
        let harmOthersHistory = harmOthersEver >= 1
        if harmOthersHistory {
            f |= Bit.harmOthersHistory
            score += 3
        }
        if student.familySuicideHistory {
            f |= Bit.familySuicide
            score += 2
        }
        if student.longSeriousIllness {
            f |= Bit.seriousPhysicalIllness
            score += 2
        }
        let psychLeaveReturn = psychLeave >= 1
        if psychLeaveReturn {
            f |= Bit.psychLeaveReturn
            score += 3
        }
        // clinical
        let diagnosedMentalIllness = student.diagnosed || student.onPsychiatricMedication
        if diagnosedMentalIllness {
            f |= Bit.diagnosedMentalIllness
            score += 5
        }
        if student.onPsychiatricMedication {
            f |= Bit.psychiatricMedication
            score += 1
        }
        if student.treatmentRefused {
            f |= Bit.refusesTreatment
            score += 3
        }
        // checkable: a key student nobody watches (the three staff measures are recorded, never missing, here)
        if (suicideAttemptHistory || harmOthersHistory || diagnosedMentalIllness || psychLeaveReturn)
            && !(student.peerWarningActive || student.mentorAssigned || student.supportSystemsInPlace)
        {
            f |= Bit.unwatchedKeyStudent
            score += 1
        }
        // red flags: acts within event_days and risks a person assessed, self-harm and harm to others apart
        if selfHarmRecent >= 1 {
            f |= Bit.recentSelfHarmAct
            score += 5
        }
        if student.selfHarmTendency {
            f |= Bit.selfHarmRisk
            score += 5
        }
        if harmOthersRecent >= 1 {
            f |= Bit.recentHarmOthersAct
            score += 5
        }
        if student.harmOthersTendency {
            f |= Bit.harmOthersRisk
            score += 5
        }
        // time nodes: 0 points each, inside their windows only (post_event has none); time_node_pressure adds 1 once
        if termStart && distress { f |= Bit.termStart }
        if freshmanIntake && studyYear == 1 && (student.adaptationDifficulty || student.introverted || moodSwing) {
            f |= Bit.freshmanIntake
        }
        if exams && (student.failedCourses >= 1 || student.academicPressure) { f |= Bit.examPeriod }
        if graduationSeason && (graduationSetback || (finalYear && (studyJobPressure || moodSwing))) {
            f |= Bit.preGraduation
        }
        if recruiting && finalYear && studyJobPressure { f |= Bit.jobHunting }
        if postgradExam && student.postgradCandidate && (studyJobPressure || distress || insomnia >= 1) {
            f |= Bit.postgradExamSeason
        }
        if springAutumn && distress { f |= Bit.springAutumn }
        if campusIncident >= 1 && (distress || insomnia >= 1 || positiveScale || upiPositive) { f |= Bit.postEvent }
        if f & Bit.timeNodes != 0 {
            f |= Bit.timeNodePressure
            score += 1
        }
        // 可控 protective factors (peer_warning, three_teams and support_systems subtract 0)
        var p: UInt16 = 0
        if student.seeksHelp {
            p |= Bit.helpSeeking
            score -= helpSeekingPoints
        }
        if student.peerWarningActive { p |= Bit.peerWarning }
        if student.inTreatmentAfterReferral {
            p |= Bit.referralSuccess
            score -= 2
        }
        if student.familySchoolCooperation {
            p |= Bit.familySchoolCoop
            score -= 1
        }
        if student.hasThreeFriends {
            p |= Bit.threeFriends
            score -= 1
        }
        if student.mentorAssigned { p |= Bit.threeTeams }
        if student.supportSystemsInPlace { p |= Bit.supportSystems }
        if student.familyHarmonious {
            p |= Bit.familyHarmony
            score -= 1
        }
        if psychLeaveReturn && student.attendsPostReturnCounselling {
            p |= Bit.postReturnCounselling
            score -= 2
        }

        // levels: attention 2, focus 5, high 9; crisis is reached_by: rules (no score reaches it)
        var level: Int32 = score >= 9 ? 3 : score >= 5 ? 2 : score >= 2 ? 1 : 0
        // cap scale_alone (focus): a scale indicator with nothing from outside the scales but at most insomnia (the
        // unverified death/self-harm answer, scale_self_harm_item, is a scale indicator: it corroborates nothing)
        let observableCount = (f & Bit.observable).nonzeroBitCount
        if f & (Bit.positiveScale | Bit.upiPositive) != 0
            && f & (Bit.checkable | Bit.history | Bit.clinical | Bit.redFlag | Bit.knowableOutsideScales) == 0
            && (observableCount == 0 || (observableCount == 1 && f & Bit.insomnia != 0))
        {
            level = min(level, 2)
        }
        // escalations (floors), after the cap: red_flag_crisis, then the focus floors (scale_red_flag_interview,
        // scale_red_flag_focus, prior_attempt_floor, harm_others_history_floor, family_suicide_floor, diagnosed_floor,
        // peer_crisis_floor, refuses_treatment_floor, stressor_distress_focus)
        if f & Bit.redFlag != 0 { level = 4 }
        if f
            & (Bit.scaleSelfHarmItem | Bit.scaleSelfHarmEarlier | Bit.suicideAttemptHistory | Bit.harmOthersHistory
                | Bit.familySuicide | Bit.diagnosedMentalIllness | Bit.peerCrisisExposure | Bit.refusesTreatment
                | Bit.stressorWithDistress) != 0
        {
            level = max(level, 2)
        }
        if psychLeaveReturn { level = max(level, 1) }
        // reported_change_floor: a reported mood swing or abnormal behaviour keeps attention whatever protective
        // factors subtract (it holds only when the score is below attention_from 2)
        if distress && score < 2 { level = max(level, 1) }
        // cross_screen_focus / cross_screen_high: 可感, 可知 and a 可查 record (failed courses only as fail_by_year);
        // high also needs a history or clinical factor and a reported change
        if f & Bit.observable != 0 && f & Bit.knowable != 0 && f & Bit.crossScreenRecords != 0 {
            level = max(level, f & (Bit.history | Bit.clinical) != 0 && distress ? 3 : 2)
        }
        // The level set by the escalations that act at once: red_flag_crisis; prior_attempt_floor,
        // harm_others_history_floor, diagnosed_floor; psych_leave_floor.
        var act: Int32 = psychLeaveReturn ? 1 : 0
        if f & (Bit.suicideAttemptHistory | Bit.harmOthersHistory | Bit.diagnosedMentalIllness) != 0 { act = 2 }
        if f & Bit.redFlag != 0 { act = 4 }
        var result = Result()
        result.score = score
        result.level = level
        result.fired = f
        result.protective = p
        result.acting =
            student.confirmedOn == .min && student.closedOn == .min && student.leftOn == .min
            ? act : actingLevel(student, act: act)
        return result
    }

    /// The level acting before verification for a student with case facts: the confirmed level (from its date on,
    /// unless a closure on or after it ended it) or `act`, whichever is higher; 0 while a closure stands (no event
    /// but a staff contact and no scale result came after it); -1 once the student left.
    func actingLevel(_ student: HandStudent, act: Int32) -> Int32 {
        let asOf = self.asOf
        func known(_ day: Int32) -> Bool { day != .min && day <= asOf }
        if known(student.leftOn) { return -1 }
        var confirmed = known(student.confirmedOn) && student.confirmedLevel >= 0
        let closedOn = student.closedOn
        if known(closedOn) && !(confirmed && student.confirmedOn > closedOn) {
            // The closure ends the confirmations before it; a risk fact after it reopens the case, unconfirmed.
            confirmed = false
            let reopened =
                student.events.contains { $0.kind != .counsellorContact && $0.day > closedOn && $0.day <= asOf }
                || student.scales.contains { $0.day > closedOn && $0.day <= asOf }
            if !reopened { return 0 }
        }
        return max(confirmed ? Int32(student.confirmedLevel) : 0, act)
    }

    /// Scores students on up to `threads` threads (all cores by default), as the engine splits a batch, then applies
    /// the cohort rule roommate_exposure over the batch (as `ScoringEngine.assess` does on an array).
    public func score(_ students: [HandStudent], threads: Int? = nil) -> [Result] {
        let count = students.count
        if count == 0 { return [] }
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, (count + 1023) / 1024))
        let chunk = (count + workers - 1) / workers
        var results = [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = SendablePointer(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                    (output.base + index).initialize(to: score(students[index]))
                }
            }
            initialized = count
        }
        Self.applyRoommateExposure(students, &results)
        return results
    }

    /// Cohort rule roommate_exposure (cohort.yaml, `needs_confirmation: true`, `when_fired: [recent_self_harm_act,
    /// recent_harm_others_act]`): group by dorm; when a student of a dorm is in a crisis that acts (``Result/acting``:
    /// confirmed by a person or set by an escalation that acts at once, read before the rule) and fired a recent act
    /// (``Result/raisesRoommates``), every other student of that dorm who does not trigger the rule too, and has not
    /// left, is raised to focus at least. A crisis without a recent act (a risk a person assessed, a confirmation)
    /// raises nobody. Score and fired indicators do not change.
    static func applyRoommateExposure(_ students: [HandStudent], _ results: inout [Result]) {
        var dormCount = 0
        for student in students where Int(student.dormID) >= dormCount { dormCount = Int(student.dormID) + 1 }
        if dormCount == 0 { return }
        var crisisInDorm = [Bool](repeating: false, count: dormCount)
        students.withUnsafeBufferPointer { students in
            results.withUnsafeMutableBufferPointer { results in
                crisisInDorm.withUnsafeMutableBufferPointer { crisisInDorm in
                    for index in 0..<students.count where results[index].raisesRoommates {
                        let dorm = Int(students[index].dormID)
                        if dorm >= 0 { crisisInDorm[dorm] = true }
                    }
                    for index in 0..<students.count
                    where results[index].level < 2 && results[index].acting >= 0 && !results[index].raisesRoommates {
                        let dorm = Int(students[index].dormID)
                        if dorm >= 0 && crisisInDorm[dorm] { results[index].level = 2 }
                    }
                }
            }
        }
    }
}
