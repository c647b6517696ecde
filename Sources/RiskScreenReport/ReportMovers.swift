internal import RiskScreen

/// The movers since an earlier date, from the ``AsOfDiff`` that `diff --rules --from --to` prints: how many joined
/// the list, left it, moved up and down, and every student who changed with what made the difference.
struct ReportMovers: Sendable {
    /// One count: `joined the list`, and how many.
    struct Count: Sendable {
        /// What.
        let countTitle: String
        /// How many.
        let countValue: String
    }

    /// A student who changed.
    struct Mover: Sendable {
        /// The student's id.
        let moverID: String
        /// `college / class`.
        let moverGroup: String
        /// The level on the earlier date.
        let fromLevel: ReportStudent.Level
        /// The level on the later date.
        let toLevel: ReportStudent.Level
        /// `none → new`.
        let statusChange: String
        /// `joined the list, moved up`.
        let movement: String
        /// What made the difference, one line each (`+ mood_swing — → +2`, `overdue: …`).
        let changeLines: [String]
    }

    /// The earlier date.
    let fromDate: String
    /// The later date.
    let toDate: String
    /// Students who changed.
    let changedCount: String
    /// Students compared.
    let comparedCount: String
    /// Joined, left, moved up, moved down, status changed, duties newly overdue.
    let counts: [Count]
    /// Every student who changed, in input order.
    let movers: [Mover]
    /// Ids assessed on one date only, nil when none.
    let unpairedText: String?

    /// The movers of `diff`, with the levels' labels from `rules`.
    init(_ diff: AsOfDiff, rules: RuleSet) {
        fromDate = diff.from.description
        toDate = diff.to.description
        changedCount = String(diff.students.count)
        comparedCount = String(diff.summary.totals.total)
        var counts = [
            Count(countTitle: "joined the list", countValue: String(diff.joined.count)),
            Count(countTitle: "left the list", countValue: String(diff.left.count)),
            Count(countTitle: "moved up", countValue: String(diff.movedUp.count)),
            Count(countTitle: "moved down", countValue: String(diff.movedDown.count)),
        ]
        for id in diff.scoreIDs {
            let up = diff.students.filter { $0.scoreMoves.contains { $0.id == id && $0.movedUp } }.count
            let down = diff.students.filter { $0.scoreMoves.contains { $0.id == id && $0.movedDown } }.count
            counts.append(Count(countTitle: shown("moved up on \(id)"), countValue: String(up)))
            counts.append(Count(countTitle: shown("moved down on \(id)"), countValue: String(down)))
        }
        counts.append(Count(countTitle: "status changed", countValue: String(diff.statusChanged.count)))
        counts.append(Count(countTitle: "duties newly overdue", countValue: String(diff.newlyOverdue.count)))
        self.counts = counts
        let level = { (standing: AsOfDiff.Standing) in
            let label = rules.levels.indices.contains(standing.levelRank) ? rules.levels[standing.levelRank].label : nil
            return ReportStudent.Level(
                levelID: shown(standing.level.id), levelZh: shown(label?.zh ?? ""),
                levelEn: shown(label?.en ?? ""),
                levelColour: ReportChart.colour(rank: standing.levelRank, of: rules.levels.count),
                levelDark: standing.levelRank >= max(1, rules.levels.count - 2))
        }
        movers = diff.students.map { student in
            let lines =
                AsOfDiff.scoreChanges(student).map { "score \($0)" } + student.changes.map(\.description)
                + student.newlyOverdue.map { "overdue: " + AssessmentFormatting.owed($0) }
            return Mover(
                moverID: shown(student.studentID), moverGroup: shown("\(student.college) / \(student.className)"),
                fromLevel: level(student.before), toLevel: level(student.after),
                statusChange: "\(student.before.status.rawValue) → \(student.after.status.rawValue)",
                movement: Self.movement(student), changeLines: lines.map(shown))
        }
        unpairedText = diff.unpaired.isEmpty ? nil : shown(diff.unpaired.joined(separator: ", "))
    }

    /// What happened to a student, as `diff` heads their entry.
    static func movement(_ student: AsOfDiff.Student) -> String {
        var what: [String] = []
        if student.joined { what.append("joined the list") }
        if student.left { what.append("left the list") }
        if student.movedUp { what.append("moved up") }
        if student.movedDown { what.append("moved down") }
        for move in student.scoreMoves { what.append("moved \(move.movedUp ? "up" : "down") on \(move.id)") }
        if student.statusChanged { what.append("status changed") }
        if !student.newlyOverdue.isEmpty { what.append("duties newly overdue") }
        if what.isEmpty { what.append("confirmed level changed") }
        return shown(what.joined(separator: ", "))
    }
}
