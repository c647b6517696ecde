internal import RiskScreenRules

// In the scoring stage, which alone uses it, once per student: called from here it is inlined and reads its table in
// place (a call into the rules' module retained the table per student).
extension AcademicYear {
    /// `study_year()` for one as-of date by table: the days on which the academic year after the as-of date's, the
    /// as-of date's own and the 15 before it start, so most enrolment dates need a few comparisons instead of a
    /// conversion to year, month and day.
    struct StudyYearTable {
        /// Newest first: the start of the next academic year, then of the as-of date's, then of each earlier one.
        private let starts: [Int]
        private let asOfAcademicYear: Int
        private let start: (month: Int, day: Int)

        init(asOfAcademicYear: Int, start: (month: Int, day: Int)) {
            self.asOfAcademicYear = asOfAcademicYear
            self.start = start
            let days = (-1...15).map {
                CivilDate(year: asOfAcademicYear - $0, month: start.month, day: start.day)?.dayNumber
            }
            // A year without the start day (29 February) leaves the table empty: every date is then converted.
            starts = days.contains(nil) ? [] : days.compactMap { $0 }
        }

        /// The same as ``AcademicYear/studyYear(enrolled:asOfAcademicYear:start:)``.
        func studyYear(enrolled: Double) -> Double {
            if enrolled.isNaN { return .nan }
            let day = Int(enrolled)
            // Before the next academic year starts, and on or after one of the table's starts: the years back are
            // the table positions passed.
            if let next = starts.first, day < next {
                for position in 1..<starts.count where day >= starts[position] { return Double(position) }
            }
            return AcademicYear.studyYear(enrolled: enrolled, asOfAcademicYear: asOfAcademicYear, start: start)
        }
    }
}
