public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenSupport

// A cohort scored a chunk at a time: cohort rules need the whole cohort, so they read a compact CohortExposure,
// gathered in a first pass (or, in the command, while the chunks are scored, with the few students it raises mended
// at the end).
extension ScoringEngine {
    /// Adds the students of `records` who trigger a cohort rule, as of `asOf`, to `exposure`: the first pass over a
    /// cohort read in chunks (see ``CohortExposure``). Does nothing for a rule set without cohort rules.
    public func gatherCohortExposure(
        _ records: [StudentRecord], asOf: CivilDate, into exposure: inout CohortExposure, threads: Int? = nil
    ) {
        guard !rules.cohortRules.isEmpty else { return }
        exposure.merge(assessChunk(records, asOf: asOf, threads: threads).exposure)
    }

    /// Scores a chunk of a cohort as of a date, with the cohort rules applied from `exposure` gathered over the whole
    /// cohort (see ``CohortExposure``), as `audience` may see them (what a role that sees no sensitive facts may see,
    /// unless told otherwise); results in input order, the same as ``assess(_:asOf:for:threads:)`` gives these
    /// records within the whole cohort.
    public func assess(
        _ records: [StudentRecord], asOf: CivilDate, exposure: CohortExposure,
        for audience: Audience = .leastPrivileged,
        threads: Int? = nil
    ) -> [Assessment] {
        let assessments = assessInFull(records, asOf: asOf, exposure: exposure, threads: threads)
        return audience.seesSensitive ? assessments : assessments.map { $0.visible(to: audience) }
    }

    /// Scores a whole cohort read in chunks. `chunks` feeds every chunk of records, in order, to the function it is
    /// given; it is called once, or twice when the rule set has cohort rules (a first pass gathers the
    /// ``CohortExposure``, a second assesses), and must feed the same records in the same order each time. `body` gets
    /// each chunk's records and their assessments as `audience` may see them, in input order, the same as
    /// ``assess(_:asOf:for:threads:)`` gives for the whole cohort at once; add them to a ``BatchSummary/Builder`` for
    /// the summary. Only one chunk is held at a time:
    ///
    /// ```swift
    /// var summary = BatchSummary.Builder(rules: engine.rules)
    /// var scored = 0
    /// try engine.assess(
    ///     chunks: { each in
    ///         try RecordReader.readJSONLines(contentsOf: path, schema: engine.rules.schema) { try each($0.records) }
    ///     },
    ///     asOf: date
    /// ) { records, assessments in
    ///     summary.add(records, assessments, firstIndex: scored)
    ///     scored += records.count
    /// }
    /// ```
    public func assess(
        chunks: (_ each: ([StudentRecord]) throws -> Void) throws -> Void, asOf: CivilDate,
        for audience: Audience = .leastPrivileged, threads: Int? = nil,
        _ body: (_ records: [StudentRecord], _ assessments: [Assessment]) throws -> Void
    ) throws {
        var exposure = CohortExposure()
        if !rules.cohortRules.isEmpty {
            try chunks { gatherCohortExposure($0, asOf: asOf, into: &exposure, threads: threads) }
        }
        let sealed = exposure.sealed()
        // `body` is only called while `chunks` runs; Swift needs to be told so to pass one closure into the other.
        try withoutActuallyEscaping(body) { body in
            try chunks { chunk in
                try body(chunk, assess(chunk, asOf: asOf, exposure: sealed, for: audience, threads: threads))
            }
        }
    }

    /// ``assess(_:asOf:exposure:for:threads:)`` in full (``Audience/fullView``).
    package func assessInFull(
        _ records: [StudentRecord], asOf: CivilDate, exposure: CohortExposure, threads: Int? = nil
    ) -> [Assessment] {
        let chunk = assessChunk(records, asOf: asOf, threads: threads)
        return raised(chunk, records: records, exposure: exposure)
    }

    /// A chunk scored before the cohort rules, with what they need of it.
    package struct ChunkAssessments: Sendable {
        /// The assessments before any cohort rule.
        package var assessments: [Assessment]
        /// The chunk's triggers.
        package var exposure: CohortExposure
        /// Per cohort rule, per record: the key of the group the rule may raise it in, 0 when it cannot be raised by
        /// it (it has no group, triggers the rule or left).
        package var raiseKeys: [[UInt64]]
    }

    /// Scores a chunk before cohort rules, gathering its triggers and the keys by which the rules may raise each
    /// record (see ``cohortExposures(records:keys:threads:triggerRank:meetsWhenFired:)`` for who is which).
    package func assessChunk(_ records: [StudentRecord], asOf: CivilDate, threads: Int? = nil) -> ChunkAssessments {
        let (assessments, levels, keys) = assessEach(records, asOf: asOf, threads: threads)
        var exposure = CohortExposure()
        var raiseKeys: [[UInt64]] = []
        for (ruleIndex, rule) in rules.cohortRules.enumerated() {
            let (needsConfirmation, triggerLevel, slot) = (rule.needsConfirmation, rule.triggerRank, rule.groupSlot)
            let needsFired = !rule.triggerIndicators.isEmpty
            let row = keys.row(slot, count: records.count)
            var ruleKeys = [UInt64](repeating: 0, count: records.count)
            records.withUnsafeBufferPointer { records in
                for index in records.indices {
                    let ranks = levels[index]
                    switch Self.cohortStanding(
                        rank: Int(needsConfirmation ? ranks.acting : ranks.level), triggerRank: triggerLevel,
                        meetsWhenFired: !needsFired
                            || (ruleIndex < 64 && ranks.whenFired & (1 << UInt64(ruleIndex)) != 0),
                        record: records[index], slot: slot)
                    {
                    case .apart: break
                    case .trigger(let group): exposure.add(rule: ruleIndex, group: group)
                    case .mayBeRaised: ruleKeys[index] = row[row.startIndex + index]
                    }
                }
            }
            raiseKeys.append(ruleKeys)
        }
        return ChunkAssessments(assessments: assessments, exposure: exposure, raiseKeys: raiseKeys)
    }

    /// The chunk's assessments with the cohort rules of `exposure` applied, in rule order, to every record that may be
    /// raised and is in one of a rule's triggers' groups.
    package func raised(_ chunk: ChunkAssessments, records: [StudentRecord], exposure: CohortExposure)
        -> [Assessment]
    {
        var result = chunk.assessments
        let exposure = exposure.keyTables.isEmpty ? exposure.sealed() : exposure
        for (rule, keys) in chunk.raiseKeys.enumerated() {
            let slot = rules.cohortRules[rule].groupSlot
            for index in keys.indices where exposure.mayRaise(rule: rule, key: keys[index]) {
                // The key matched: the text itself decides (a key is a hash).
                guard let group = records[index].groupValue(slot: slot), exposure.contains(rule: rule, group: group)
                else { continue }
                result[index] = result[index].exposed(byCohortRule: rule)
            }
        }
        return result
    }
}
