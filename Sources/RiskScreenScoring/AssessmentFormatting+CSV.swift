package import RiskScreenRules

extension AssessmentFormatting {
    /// The CSV header row: one row, the columns in this order. `class` is the record's `class_name` (or `class`);
    /// `level_zh` and `level_en` are the level's labels from the rule set; `next_due` is the earliest due date of
    /// the duties in `actions`; `level_changed_by` names the escalations and caps that changed the level; `notice` is
    /// filled on the first row only.
    package static let csvHeader =
        "id,college,class,as_of,level,level_zh,level_en,confirmed_level,status,score,score_level,route,parents,actions,"
        + "next_due,fired,evidence,escalations,caps,level_changed_by,calendar,notice"

    /// The CSV header row for a rule set's scores: ``csvHeader``, and with several scores, after `score_level`, a
    /// `score_ID` and a `score_level_ID` column for each.
    package static func csvHeader(scores: [ScoreDefinition]) -> String {
        if scores.isEmpty { return csvHeader }
        var columns = csvHeader.split(separator: ",").map(String.init)
        let after = (columns.firstIndex(of: "score_level") ?? columns.count - 1) + 1
        columns.insert(contentsOf: scores.flatMap { ["score_\($0.id)", "score_level_\($0.id)"] }, at: after)
        return columns.joined(separator: ",")
    }

    /// One assessment as one CSV row (RFC 4180, without the line break).
    ///
    /// - Parameters:
    ///   - college: the record's college, empty when it has none.
    ///   - className: the record's class, empty when it has none.
    ///   - notice: whether the `notice` cell holds the rule set's notice (the first row of a file) or is empty.
    ///
    /// Lists inside a cell are separated by `; `: fired as `id:+points`, evidence as `indicator.label=value`,
    /// escalations and caps that held as `id:level`, `level_changed_by` as the ids of those among them that changed
    /// the level, calendar as `window×factor`. A view that withholds something (``Assessment/withheld``) shows
    /// `withheld` for the score, the level by score and `level_changed_by` (whether a rule changed the level would
    /// tell where the score lies), and ends the fired list with `withheld`. With several scores, each score's score
    /// and level follow the level by score (``csvHeader(scores:)``), `withheld` where the score is.
    package static func csvRow(
        _ assessment: Assessment, college: String = "", className: String = "", notice: Bool = true
    ) -> String {
        let withheld = assessment.withheld
        let fired = (assessment.fired.map { "\($0.id):\(signed($0.points))" } + (withheld ? ["withheld"] : [])).joined(
            separator: "; ")
        let evidence = assessment.fired.flatMap { indicator in
            indicator.evidence.map { "\(indicator.id).\($0.label)=\($0.value)" }
        }.joined(separator: "; ")
        let rules = { (list: [AppliedRule]) in list.map { "\($0.id):\($0.level)" }.joined(separator: "; ") }
        let changedBy =
            withheld
            ? "withheld"
            : (assessment.escalations + assessment.caps).filter { $0.changedLevel == true }.map(\.id).joined(
                separator: "; ")
        let calendar = assessment.calendarEffects.map { "\($0.window)×\(number($0.factor))" }.joined(separator: "; ")
        let scores = assessment.scores.flatMap {
            [$0.score.isNaN ? "withheld" : number($0.score), $0.levelID]
        }
        let confirmed: String = assessment.confirmedLevel?.id ?? ""
        let scoreLevel: String = assessment.scoreLevel?.id ?? "withheld"
        let label = assessment.levelLabel
        return
            ([
                assessment.studentID, college, className, assessment.asOf.description, assessment.levelID, label.zh,
                label.en, confirmed, assessment.status.rawValue,
                withheld ? "withheld" : number(assessment.score), scoreLevel,
            ] + scores + [
                assessment.route.joined(separator: " > "), assessment.informParents.rawValue,
                assessment.actions.map(owed).joined(separator: "; "), assessment.nextDue?.description ?? "", fired,
                evidence, rules(assessment.escalations), rules(assessment.caps), changedBy, calendar,
                notice ? assessment.notice : "",
            ]).map(csvCell).joined(separator: ",")
    }
}
