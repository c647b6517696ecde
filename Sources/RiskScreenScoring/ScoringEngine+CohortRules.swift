internal import RiskScreenRecords
internal import RiskScreenRules
internal import RiskScreenSupport

// Cohort rules: who shares a group with a student at a rule's trigger level, found from the group keys gathered while
// scoring.
extension ScoringEngine {
    /// For each cohort rule, the students it reaches: those who share a group with a student at its trigger
    /// level, other than the triggers themselves. `triggerRank` gives the rank a rule compares with its trigger level
    /// for each record, before cohort rules: the screening level, or (when its second argument, the rule's
    /// `needsConfirmation`, is true) the acting level (``CaseState/actingRank``); -1 for a student who left, who
    /// neither triggers a rule nor is raised by one. `meetsWhenFired` says whether a record fired one of a rule's
    /// `when_fired` indicators (record index, rule index; true for a rule without them). The
    /// search for the others runs on up to `threads` threads, each over one slice of the records.
    func cohortExposures(
        records: [StudentRecord], keys: CohortKeys, threads: Int?, triggerRank: (Int, Bool) -> Int,
        meetsWhenFired: (Int, Int) -> Bool
    ) -> [(rule: Int, students: [Int])] {
        var result: [(rule: Int, students: [Int])] = []
        for (ruleIndex, rule) in rules.cohortRules.enumerated() {
            // Few students trigger a rule: find their groups first, then one pass over the keys gathered while
            // scoring finds the others in those groups, reading a student's text only where the keys match.
            // Read once: the rule is a struct of texts, and passing it per student would retain them each time.
            let (needsConfirmation, triggerLevel) = (rule.needsConfirmation, rule.triggerRank)
            var exposedGroups: Set<String> = []
            // Triggers, and students who left (rank -1): neither is raised by the rule.
            var isTrigger = [Bool](repeating: false, count: records.count)
            // Records are read in place: indexing the array would copy each record (and retain its parts).
            records.withUnsafeBufferPointer { records in
                for index in records.indices {
                    switch Self.cohortStanding(
                        rank: triggerRank(index, needsConfirmation), triggerRank: triggerLevel,
                        meetsWhenFired: meetsWhenFired(index, ruleIndex), record: records[index], slot: rule.groupSlot)
                    {
                    case .apart: isTrigger[index] = true
                    case .trigger(let group):
                        exposedGroups.insert(group)
                        isTrigger[index] = true
                    case .mayBeRaised: break
                    }
                }
            }
            if exposedGroups.isEmpty { continue }
            let exposedKeys = KeyTable(exposedGroups.map(GroupKey.of))
            let slot = rule.groupSlot
            let row = keys.row(slot, count: records.count)
            let (groups, triggers) = (exposedGroups, isTrigger)
            // Each worker keeps the students of its slice; joined in slice order, they stay in input order.
            let found = Parallel.mapParts(items: records.count, parts: workerCount(records.count, threads: threads)) {
                _, slice in
                var students: [Int] = []
                records.withUnsafeBufferPointer { records in
                    for index in slice where !triggers[index] && exposedKeys.contains(row[row.startIndex + index]) {
                        // The key matched: the text itself decides (a key is a hash).
                        guard let group = records[index].groupValue(slot: slot), groups.contains(group) else {
                            continue
                        }
                        students.append(index)
                    }
                }
                return students
            }
            let students = Array(found.joined())
            result.append((ruleIndex, students))
        }
        return result
    }

    /// Where a student stands towards one cohort rule.
    enum CohortStanding {
        /// Left: neither triggers the rule nor is raised by it.
        case apart
        /// At the rule's trigger level (and `when_fired`, if it has one), in this group: raises the group's others.
        case trigger(String)
        /// May be raised, if its group (when it has one) holds a trigger.
        case mayBeRaised
    }

    /// Where a student stands towards a cohort rule: `rank` is the rank the rule compares (-1 for a student who left),
    /// `meetsWhenFired` whether it fired one of the rule's `when_fired` indicators (true without them), `slot` the
    /// rule's group field. The one decision of who triggers a rule, for a whole batch and for a chunk of one.
    static func cohortStanding(
        rank: Int, triggerRank: Int, meetsWhenFired: @autoclosure () -> Bool, record: StudentRecord, slot: Int
    ) -> CohortStanding {
        if rank < 0 { return .apart }
        guard rank >= triggerRank, meetsWhenFired(), let group = record.groupValue(slot: slot) else {
            return .mayBeRaised
        }
        return .trigger(group)
    }

    /// A set of group keys looked up by the keys' own bits (they are hashes already, so a `Set` would only hash
    /// them again): most students' keys miss at the first slot, a test whose outcome the processor predicts.
    struct KeyTable: Sendable {
        private var slots: [UInt64]
        private let mask: Int

        init(_ keys: [UInt64]) {
            var size = 16
            while size < keys.count * 4 { size <<= 1 }
            slots = [UInt64](repeating: 0, count: size)
            mask = size - 1
            for key in keys where key != 0 && !contains(key) {
                var slot = Int(truncatingIfNeeded: key >> 1) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = key
            }
        }

        /// Whether the table holds `key` (0, no group, is never held).
        func contains(_ key: UInt64) -> Bool {
            var slot = Int(truncatingIfNeeded: key >> 1) & mask
            while slots[slot] != 0 {
                if slots[slot] == key { return true }
                slot = (slot + 1) & mask
            }
            return false
        }
    }

    /// The text slots the cohort rules group by, each once.
    var cohortGroupSlots: [Int] {
        var slots: [Int] = []
        for rule in rules.cohortRules where !slots.contains(rule.groupSlot) { slots.append(rule.groupSlot) }
        return slots
    }

    /// Each student's group key in each slot the cohort rules group by, gathered while scoring.
    struct CohortKeys: Sendable {
        var slots: [Int]
        /// `slots.count` rows of one key per student.
        var keys: [UInt64]

        /// The keys of every student in `slot`.
        func row(_ slot: Int, count: Int) -> ArraySlice<UInt64> {
            guard let position = slots.firstIndex(of: slot) else { return ArraySlice(repeating: 0, count: count) }
            return keys[(position * count)..<((position + 1) * count)]
        }
    }

    /// A record's ranks that cohort rules compare with their trigger level: its screening level, and the level acting
    /// before verification (``CaseState/actingRank``).
    struct TriggerRanks {
        var level: Int32 = 0
        var acting: Int32 = 0
        /// Bit r: the record fired one of cohort rule r's `when_fired` indicators, or the rule has none
        /// (``whenFiredMask(firedBits:rules:)``).
        var whenFired: UInt64 = ~0
    }

    /// The cohort rules with `when_fired` (each among the first 64, checked when the rules load): their positions and
    /// trigger indicators, taken once for a batch (``whenFiredMask(firedBits:rules:)``).
    var whenFiredRules: [(rule: Int, indicators: [Int])] {
        rules.cohortRules.enumerated().compactMap { rule, cohortRule in
            rule < 64 && !cohortRule.triggerIndicators.isEmpty ? (rule, cohortRule.triggerIndicators) : nil
        }
    }

    /// Whether a record whose fired indicators are `firedBits` (indicator i is bit i % 64 of word i / 64) meets each of
    /// `rules` (``whenFiredRules``): bit r set when it meets rule r's `when_fired`, or when rule r has none.
    static func whenFiredMask(firedBits: UnsafePointer<UInt64>, rules: [(rule: Int, indicators: [Int])]) -> UInt64 {
        var mask: UInt64 = ~0
        for (rule, indicators) in rules
        where !indicators.contains(where: { firedBits[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }) {
            mask &= ~(1 << UInt64(rule))
        }
        return mask
    }
}
