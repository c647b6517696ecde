internal import RiskScreenRecords
internal import RiskScreenRules
internal import RiskScreenSupport

// Drafting: each scored record's outcome, fired indicators, evidence values, held rules and owed duties, appended to a
// thread's entries as indices and numbers (no texts).
extension ScoringEngine {
    /// Drafts the assessment of the record scored in `lane` of the last ``evaluate(_:scratch:)``: its outcome, and its
    /// fired indicators, evidence values and held rules appended to `entries`, as indices and numbers (no texts).
    func draft(lane: Int, scratch: borrowing Scratch, into entries: inout AssessmentEntries) {
        let outcome = scratch.outcomes[lane]
        let frame = UnsafePointer(scratch.frames + lane)
        let pointValues = scratch.points(lane: lane)
        let ruleHeld = scratch.ruleHeld(lane: lane)
        let firedBits = scratch.firedBits(lane: lane)
        entries.drafts.append(
            AssessmentEntries.Draft(
                score: outcome.score, levelRank: Int32(outcome.level), scoreLevelRank: Int32(outcome.scoreLevel),
                caseState: outcome.caseState, firedStart: entries.fired.count, evidenceStart: entries.evidence.count,
                heldRuleStart: entries.heldRules.count, actionStart: entries.actions.count))
        // The fired indicators are found bit by bit, in rule-set order; evidence counts from the assessment's first.
        let evidenceStart = entries.evidence.count
        for word in 0..<scratch.firedWords {
            var bits = firedBits[word]
            while bits != 0 {
                let index = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                entries.fired.append(
                    Assessment.FiredEntry(
                        indicator: Int32(index), evidenceStart: Int32(entries.evidence.count - evidenceStart),
                        points: pointValues[index]))
                for program in kernel.evidence[index] { entries.evidence.append(program.value(frame)) }
            }
        }
        draftActions(lane: lane, scratch: scratch, frame: frame, into: &entries)
        var levelAfterCaps = outcome.scoreLevel
        for index in 0..<scratch.capCount where ruleHeld[index] {
            let level = scratch.levelSteps[index].level
            entries.heldRules.append(
                Assessment.RuleEntry(kind: .cap, index: Int32(index), changedLevel: level < levelAfterCaps))
            levelAfterCaps = min(levelAfterCaps, level)
        }
        var levelAfterEscalations = levelAfterCaps
        for position in scratch.capCount..<scratch.levelSteps.count where ruleHeld[position] {
            let level = scratch.levelSteps[position].level
            entries.heldRules.append(
                Assessment.RuleEntry(
                    kind: .escalation, index: Int32(position - scratch.capCount),
                    changedLevel: level > levelAfterEscalations))
            levelAfterEscalations = max(levelAfterEscalations, level)
        }
    }

    /// Appends the duties owed for the record in `lane`: those whose condition held and whose confirmed level (if they
    /// name one) is in force, not met by a confirmation dated on or after their start, for a student who has not left.
    func draftActions(
        lane: Int, scratch: borrowing Scratch, frame: FramePointer, into entries: inout AssessmentEntries
    ) {
        let actionCount = scratch.actionSteps.count
        if actionCount == 0 { return }
        let state = scratch.outcomes[lane].caseState
        if state.left { return }
        let held = scratch.actionHeld(lane: lane)
        // Most students owe nothing: the duties are read (and retained) only for those who do.
        guard (0..<actionCount).contains(where: { held[$0] }) else { return }
        let asOf = scratch.asOf
        let confirmedOnSlot = kernel.caseSlots.confirmedOn
        let confirmedOn =
            state.confirmedRank >= 0 && confirmedOnSlot >= 0 ? frame.pointee.values[confirmedOnSlot] : .nan
        let actions = rules.actions
        for index in 0..<actionCount where held[index] {
            let action = actions[index]
            if let level = action.confirmedLevel, Int(state.confirmedRank) < level { continue }
            let start = action.startDay(frame)
            if action.doneWhenConfirmed, !confirmedOn.isNaN, start.isNaN || confirmedOn >= start { continue }
            let due = action.dueDay(frame, start: start)
            let overdue = Int(asOf) - Int(due)
            // Counted in place: a filtered array would allocate for every duty owed.
            var steps = 0
            if overdue > 0 { for days in action.climbAfterDays where overdue >= days { steps += 1 } }
            entries.actions.append(
                Assessment.ActionEntry(
                    action: Int32(index), due: due, reportedTo: Int32(action.roleIndex + steps)))
        }
    }
}
