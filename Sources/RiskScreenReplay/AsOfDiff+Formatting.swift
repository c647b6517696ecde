internal import RiskScreenRules
internal import RiskScreenScoring
internal import RiskScreenSupport

/// `riskscreen diff --from --to` output: the movers and the monthly summary, as text for the terminal, JSON Lines and
/// CSV. Output depends on nothing but the diff: no locale, no clock.
extension AsOfDiff {
    // MARK: Text

    /// Who joined, left, moved or changed status, whose duties became overdue, then every listed student with what
    /// made the difference; `audience` names the view in the heading.
    package func moversText(audience: String) -> String {
        var lines: [String] = []
        lines.append(
            "Change from \(from) to \(to), as \(audience) sees it: \(students.count) of \(summary.totals.total) "
                + "students changed")
        let ids = { (list: [Student]) in list.isEmpty ? "nobody" : list.map(\.studentID).joined(separator: ", ") }
        lines.append("  joined the list (\(joined.count)): \(ids(joined))")
        lines.append("  left the list (\(left.count)): \(ids(left))")
        lines.append("  moved up (\(movedUp.count)): \(ids(movedUp))")
        lines.append("  moved down (\(movedDown.count)): \(ids(movedDown))")
        for id in scoreIDs {
            let up = students.filter { $0.scoreMoves.contains { $0.id == id && $0.movedUp } }
            let down = students.filter { $0.scoreMoves.contains { $0.id == id && $0.movedDown } }
            lines.append("  moved up on \(id) (\(up.count)): \(ids(up))")
            lines.append("  moved down on \(id) (\(down.count)): \(ids(down))")
        }
        lines.append("  status changed (\(statusChanged.count)): \(ids(statusChanged))")
        lines.append("  duties newly overdue (\(newlyOverdue.count)): \(ids(newlyOverdue))")
        lines.append("")
        lines.append("Students who changed (\(students.count)), in input order")
        if students.isEmpty { lines.append("  nobody") }
        for student in students {
            lines.append("  " + Self.headline(student))
            for change in Self.scoreChanges(student) { lines.append("      score \(change)") }
            for change in student.changes { lines.append("      \(change)") }
            for action in student.newlyOverdue { lines.append("      overdue: " + AssessmentFormatting.owed(action)) }
        }
        if !unpaired.isEmpty {
            lines.append("")
            lines.append("Assessed on only one of the dates: \(unpaired.joined(separator: ", "))")
        }
        return lines.map(PrintableText.escaped).joined(separator: "\n")
    }

    /// `S1 (college/class): none → attention; status none → new; confirmed — → —; joined the list, moved up` (with
    /// several scores, `moved up on self` for each score whose level moved).
    static func headline(_ student: Student) -> String {
        let confirmed = { (level: Level?) -> String in level?.id ?? "—" }
        var what: [String] = []
        if student.joined { what.append("joined the list") }
        if student.left { what.append("left the list") }
        if student.movedUp { what.append("moved up") }
        if student.movedDown { what.append("moved down") }
        for move in student.scoreMoves { what.append("moved \(move.movedUp ? "up" : "down") on \(move.id)") }
        if student.statusChanged { what.append("status changed") }
        if !student.newlyOverdue.isEmpty { what.append("duties newly overdue") }
        if what.isEmpty { what.append("confirmed level changed") }
        return "\(student.studentID) (\(student.college) / \(student.className)): "
            + "\(student.before.level.id) → \(student.after.level.id); "
            + "status \(student.before.status.rawValue) → \(student.after.status.rawValue); "
            + "confirmed \(confirmed(student.before.confirmedLevel)) → \(confirmed(student.after.confirmedLevel)); "
            + what.joined(separator: ", ")
    }

    /// The monthly summary as three aligned tables: levels and statuses on the later date, then what changed, per
    /// college and class with a total row; with several scores, one more table per score before what changed: its
    /// levels on the later date (`withheld` where the view withholds the score) and who moved up or down on it.
    package func summaryText() -> String {
        let summary = summary
        let rows = summary.groups + [summary.totals]
        let names = { (counts: AsOfSummary.Counts) in [counts.group.college, counts.group.className] }
        var parts: [String] = []
        parts.append("Monthly summary: \(summary.totals.total) students, levels and status on \(to)")
        parts.append(
            AssessmentFormatting.table(
                header: ["COLLEGE", "CLASS"] + summary.levelIDs + ["TOTAL"],
                rows: rows.map { names($0) + $0.levels.map(String.init) + [String($0.total)] },
                right: Set(2..<(summary.levels.count + 3))))
        parts.append("")
        parts.append(
            AssessmentFormatting.table(
                header: ["COLLEGE", "CLASS"] + summary.statuses.map { "status \($0.rawValue)" },
                rows: rows.map { names($0) + $0.statuses.map(String.init) },
                right: Set(2..<(summary.statuses.count + 2))))
        for (score, id) in summary.scoreIDs.enumerated() {
            parts.append("")
            parts.append("Score \(id): the level its own points give on \(to), and moves since \(from)")
            parts.append(
                AssessmentFormatting.table(
                    header: ["COLLEGE", "CLASS"] + summary.levelIDs + ["withheld", "UP", "DOWN"],
                    rows: rows.map { counts in
                        names(counts)
                            + (counts.scoreLevels[score] + [counts.scoreMovedUp[score], counts.scoreMovedDown[score]])
                            .map(String.init)
                    },
                    right: Set(2..<(summary.levels.count + 5))))
        }
        parts.append("")
        parts.append("Since \(from)")
        parts.append(
            AssessmentFormatting.table(
                header: [
                    "COLLEGE", "CLASS", "ON LIST", "JOINED", "LEFT", "UP", "DOWN", "STATUS CHANGED", "OVERDUE DUTIES",
                    "NEWLY OVERDUE",
                ],
                rows: rows.map { counts in
                    names(counts)
                        + [
                            counts.onList, counts.joined, counts.left, counts.movedUp, counts.movedDown,
                            counts.statusChanged, counts.overdueDuties, counts.newlyOverdueDuties,
                        ].map(String.init)
                },
                right: Set(2..<10)))
        parts.append("")
        parts.append(PrintableText.escaped(notice))
        return parts.joined(separator: "\n")
    }

    // MARK: JSON Lines

    /// One JSON object a listed student (no newline at the end): id, college, class, from {date, level,
    /// confirmed_level, status, on_list}, to {…}, joined, left, moved (`up`, `down` or null), status_changed,
    /// changes [{kind, id, before, after}], newly_overdue [{id, role, reported_to, due, overdue_days}]. With several
    /// scores, from and to end with scores {id: {score, level}} (score null and level `withheld` where the view
    /// withholds it), and score_moves [{id, from, to, moved}] follows moved.
    package func moversJSONLines() -> [String] {
        let json = AssessmentFormatting.json
        let standing = { (date: CivilDate, standing: Standing) in
            "{\"date\":\(json(date.description)),\"level\":\(json(standing.level.id)),\"confirmed_level\":"
                + (standing.confirmedLevel.map { json($0.id) } ?? "null")
                + ",\"status\":\(json(standing.status.rawValue)),\"on_list\":\(standing.onList)"
                + Self.scoresJSON(standing.scores) + "}"
        }
        let points = { (value: Double?) in value.map(AssessmentFormatting.number) ?? "null" }
        return students.map { student in
            let moved = student.movedUp ? "\"up\"" : student.movedDown ? "\"down\"" : "null"
            let changes = student.changes.map { change in
                "{\"kind\":\(json(change.kind.rawValue)),\"id\":\(json(change.id)),\"before\":\(points(change.before)),"
                    + "\"after\":\(points(change.after))}"
            }
            let overdue = student.newlyOverdue.map { action in
                "{\"id\":\(json(action.id)),\"role\":\(json(action.role)),\"reported_to\":\(json(action.reportedTo)),"
                    + "\"due\":\(json(action.due.description)),\"overdue_days\":\(action.overdueDays)}"
            }
            return "{\"id\":\(json(student.studentID)),\"college\":\(json(student.college)),"
                + "\"class\":\(json(student.className)),\"from\":\(standing(from, student.before)),"
                + "\"to\":\(standing(to, student.after)),\"joined\":\(student.joined),\"left\":\(student.left),"
                + "\"moved\":\(moved)," + scoreMovesJSON(student)
                + "\"status_changed\":\(student.statusChanged),"
                + "\"changes\":[\(changes.joined(separator: ","))],"
                + "\"newly_overdue\":[\(overdue.joined(separator: ","))]}"
        }
    }

    /// One JSON object per college and class, then one for all (college `all`, class null): from, to, college, class,
    /// levels {id: count}, statuses {status: count}, total, on_list, joined, left, moved_up, moved_down,
    /// status_changed, overdue_duties, newly_overdue_duties. With several scores, scores {id: {levels {id: count,
    /// withheld: count}, moved_up, moved_down}} follows statuses.
    package func summaryJSONLines() -> [String] {
        let json = AssessmentFormatting.json
        let summary = summary
        return (summary.groups + [summary.totals]).enumerated().map { position, counts in
            let isTotal = position == summary.groups.count
            let levels = zip(summary.levelIDs, counts.levels).map { "\(json($0)):\($1)" }
            let statuses = zip(summary.statuses, counts.statuses).map { "\(json($0.rawValue)):\($1)" }
            return "{\"from\":\(json(from.description)),\"to\":\(json(to.description)),"
                + "\"college\":\(json(counts.group.college)),"
                + "\"class\":\(isTotal ? "null" : json(counts.group.className)),"
                + "\"levels\":{\(levels.joined(separator: ","))},\"statuses\":{\(statuses.joined(separator: ","))},"
                + scoreCountsJSON(counts)
                + "\"total\":\(counts.total),\"on_list\":\(counts.onList),\"joined\":\(counts.joined),"
                + "\"left\":\(counts.left),\"moved_up\":\(counts.movedUp),\"moved_down\":\(counts.movedDown),"
                + "\"status_changed\":\(counts.statusChanged),\"overdue_duties\":\(counts.overdueDuties),"
                + "\"newly_overdue_duties\":\(counts.newlyOverdueDuties)}"
        }
    }

    // MARK: CSV

    /// The movers' CSV header row.
    package static let moversCSVHeader =
        "id,college,class,from,to,from_level,to_level,from_status,to_status,from_confirmed_level,to_confirmed_level,"
        + "joined,left,moved,status_changed,changes,newly_overdue"

    /// The movers' CSV header row for this diff's rule set: ``moversCSVHeader``, and with several scores, after
    /// `to_confirmed_level`, `from_score_ID,to_score_ID,from_score_level_ID,to_score_level_ID` for each score.
    package var moversCSVColumns: String {
        if scoreIDs.isEmpty { return Self.moversCSVHeader }
        var columns = Self.moversCSVHeader.split(separator: ",").map(String.init)
        let after = (columns.firstIndex(of: "to_confirmed_level") ?? columns.count - 1) + 1
        columns.insert(
            contentsOf: scoreIDs.flatMap { id in
                ["from_score_", "to_score_", "from_score_level_", "to_score_level_"].map { $0 + id }
            }, at: after)
        return columns.map(AssessmentFormatting.csvCell).joined(separator: ",")
    }

    /// One CSV row a listed student (RFC 4180, without line breaks); changes and duties are separated by `; `. With
    /// several scores, each score's score and level on each date follow the confirmed levels (``moversCSVColumns``),
    /// `withheld` where the view withholds them.
    package func moversCSVRows() -> [String] {
        students.map { student in
            // Built in parts: one literal of every cell takes the type checker too long under load.
            let moved = student.movedUp ? "up" : student.movedDown ? "down" : ""
            let changes: String = student.changes.map(\.description).joined(separator: "; ")
            let overdue: String = student.newlyOverdue.map(AssessmentFormatting.owed).joined(separator: "; ")
            let cells: [String] = [
                student.studentID, student.college, student.className, from.description, to.description,
                student.before.level.id, student.after.level.id, student.before.status.rawValue,
                student.after.status.rawValue, student.before.confirmedLevel?.id ?? "",
                student.after.confirmedLevel?.id ?? "",
            ]
            let scores: [String] = Self.scoreCells(student)
            let rest: [String] = [
                String(student.joined), String(student.left), moved, String(student.statusChanged), changes, overdue,
            ]
            return (cells + scores + rest).map(AssessmentFormatting.csvCell).joined(separator: ",")
        }
    }

    /// The summary's CSV header row: levels as `level_ID`, statuses as `status_ID`; with several scores, after the
    /// statuses, each score's levels as `score_ID_level_LEVEL`, then `score_ID_withheld`, `score_ID_moved_up` and
    /// `score_ID_moved_down`.
    package var summaryCSVHeader: String {
        (["from", "to", "college", "class"] + summary.levelIDs.map { "level_" + $0 }
            + summary.statuses.map { "status_" + $0.rawValue }
            + summary.scoreIDs.flatMap { id in
                summary.levelIDs.map { "score_\(id)_level_\($0)" }
                    + ["score_\(id)_withheld", "score_\(id)_moved_up", "score_\(id)_moved_down"]
            }
            + [
                "total", "on_list", "joined", "left", "moved_up", "moved_down", "status_changed", "overdue_duties",
                "newly_overdue_duties",
            ]).map(AssessmentFormatting.csvCell).joined(separator: ",")
    }

    /// One CSV row per college and class, then one for all (college `all`, class empty).
    package func summaryCSVRows() -> [String] {
        let summary = summary
        return (summary.groups + [summary.totals]).enumerated().map { position, counts in
            let isTotal = position == summary.groups.count
            let numbers =
                counts.levels + counts.statuses
                + counts.scoreLevels.indices.flatMap { score in
                    counts.scoreLevels[score] + [counts.scoreMovedUp[score], counts.scoreMovedDown[score]]
                }
                + [
                    counts.total, counts.onList, counts.joined, counts.left, counts.movedUp, counts.movedDown,
                    counts.statusChanged, counts.overdueDuties, counts.newlyOverdueDuties,
                ]
            return
                ([from.description, to.description, counts.group.college, isTotal ? "" : counts.group.className]
                + numbers.map(String.init)).map(AssessmentFormatting.csvCell).joined(separator: ",")
        }
    }
}
