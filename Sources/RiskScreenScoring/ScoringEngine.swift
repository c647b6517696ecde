public import RiskScreenRecords
public import RiskScreenRules
internal import RiskScreenSupport

/// Scores student records against a ``/RiskScreenRules/RuleSet``: graded, explained assessments, one at a time or in
/// batches.
///
/// Scoring is deterministic: it reads no clock and no locale, and a batch gives the same assessments in
/// the same order whatever the number of threads.
public struct ScoringEngine: Sendable {
    /// The rules it scores with.
    public let rules: RuleSet

    /// Creates an engine for a loaded rule set; a rule set without levels (a schema or scale library) cannot score.
    public init(rules: RuleSet) throws(RuleSetError) {
        guard !rules.levels.isEmpty else {
            let file = rules.files.first ?? rules.id
            throw RuleSetError(diagnostics: [
                Diagnostic(
                    .error, .missingKey, at: SourceLocation(file: file, line: 1, column: 1),
                    "found a rule set without levels; expected levels to score with (extend this rule set with one that has them)"
                )
            ])
        }
        self.rules = rules
        kernel = Kernel(rules: rules)
    }

    /// The rule set flattened into plain values: every condition's code in one array, and where each starts.
    struct Kernel: Sendable {
        /// The bounds points from a value are clamped to.
        struct ValueBounds: Sendable {
            var lowest: Double
            var highest: Double
        }

        /// A stretch of ``code``; a count of 0 means there is nothing to run (an indicator without condition).
        struct CodeRange: Sendable {
            var start: Int32 = 0
            var count: Int32 = 0
        }

        /// The code of every indicator condition and banded value, then of the caps and escalations.
        let code: [Instruction]
        /// The deepest stack any of the code needs.
        let stackDepth: Int
        let conditions: [CodeRange]
        let bandValues: [CodeRange]
        let fixedPoints: [Double]
        /// Per indicator: where its bands start in ``bandFroms`` and ``bandPoints``, and how many there are.
        let bandRanges: [CodeRange]
        let bandFroms: [Double]
        let bandPoints: [Double]
        /// Per indicator with points from a value (its value's code in ``bandValues``): the bounds they are clamped to;
        /// nil for fixed or banded points.
        let valueBounds: [ValueBounds?]
        let protective: [Bool]
        let thresholds: [Double]
        let caps: [CodeRange]
        let capLevels: [Int]
        let escalations: [CodeRange]
        let escalationLevels: [Int]
        /// The duties' conditions.
        let actions: [CodeRange]
        let escalationActsAtOnce: [Bool]
        let escalationIsSensitive: [Bool]
        /// The case facts' value slots (-1 for a fact not declared), and the staff event kinds that never reopen a
        /// closed case.
        let caseSlots: CaseFacts.Slots
        let staffEventKinds: Set<Int>
        /// The sensitive event kinds and scales: a view that may not see them tells a reopened case by the others.
        let sensitiveEventKinds: Set<Int>
        let sensitiveScales: Set<Int>
        /// Per indicator: how each piece of its evidence is worked out from a record.
        let evidence: [[EvidenceProgram]]
        /// The longest window in calendar months any of the code reads (0 when none).
        let longestMonthWindow: Int
        /// The rule set's several scores: how many (0 for a rule set of one score), the score each indicator adds to,
        /// each score's thresholds by level rank (score after score), and how their levels combine.
        let scoreCount: Int
        let indicatorScores: [Int]
        let scoreThresholds: [Double]
        let scoreCombination: ScoreCombination
        /// The rule set's texts as they are written in a JSON result, rendered once (``AssessmentJSON/RuleTexts``).
        let json: AssessmentJSON.RuleTexts

        init(rules: RuleSet) {
            var code: [Instruction] = []
            var depth = 1
            func append(_ program: ExpressionCode?) -> CodeRange {
                guard let program else { return CodeRange() }
                let range = CodeRange(start: Int32(code.count), count: Int32(program.instructions.count))
                code += program.instructions
                depth = max(depth, program.depth)
                return range
            }
            conditions = rules.indicators.map { append($0.condition?.code) }
            bandValues = rules.indicators.map {
                switch $0.points {
                case .banded(let program, _), .value(let program, _, _): append(program.code)
                case .fixed: CodeRange()
                }
            }
            caps = rules.caps.map { append($0.condition.code) }
            escalations = rules.escalations.map { append($0.condition.code) }
            actions = rules.actions.map { append($0.condition?.code) }
            self.code = code
            stackDepth = depth
            longestMonthWindow = ExpressionCode.longestMonthWindow(in: code)
            fixedPoints = rules.indicators.map { if case .fixed(let value) = $0.points { value } else { .nan } }
            var froms: [Double] = []
            var points: [Double] = []
            bandRanges = rules.indicators.map { indicator in
                guard case .banded(_, let bands) = indicator.points else { return CodeRange() }
                let range = CodeRange(start: Int32(froms.count), count: Int32(bands.count))
                froms += bands.map(\.from)
                points += bands.map(\.points)
                return range
            }
            bandFroms = froms
            bandPoints = points
            valueBounds = rules.indicators.map {
                if case .value(_, let lowest, let highest) = $0.points {
                    ValueBounds(lowest: lowest, highest: highest)
                } else {
                    nil
                }
            }
            protective = rules.indicators.map(\.isProtective)
            thresholds = rules.levels.map(\.threshold)
            capLevels = rules.caps.map(\.rank)
            escalationLevels = rules.escalations.map(\.rank)
            escalationActsAtOnce = rules.escalations.map(\.actsAtOnce)
            escalationIsSensitive = rules.escalations.map {
                $0.isSensitive || $0.readsOutcome(of: rules.indicators)
            }
            caseSlots = rules.schema.caseSlots
            staffEventKinds = rules.schema.caseFacts.staffEventKinds
            sensitiveEventKinds = Set(rules.schema.eventKinds.filter(\.sensitive).map(\.index))
            sensitiveScales = Set(rules.schema.scales.filter(\.sensitive).map(\.index))
            evidence = rules.indicators.map { $0.evidence.map(\.value) }
            scoreCount = rules.scores.count
            indicatorScores = rules.indicatorScores
            scoreThresholds = rules.scores.flatMap(\.thresholds)
            scoreCombination = rules.scoreCombination
            json = AssessmentJSON.RuleTexts(rules: rules)
        }
    }

    let kernel: Kernel

    /// Scores one record as of a date, as `audience` may see it (what a role that sees no sensitive facts may see,
    /// unless told otherwise).
    public func assess(_ record: StudentRecord, asOf: CivilDate, for audience: Audience = .leastPrivileged)
        -> Assessment
    {
        assessInFull(record, asOf: asOf).visible(to: audience)
    }

    /// Scores one record as of a date, in full.
    package func assessInFull(_ record: StudentRecord, asOf: CivilDate) -> Assessment {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        var scratch = Scratch(rules: rules, plan: plan, kernel: kernel, width: 1)
        evaluate([record][...], scratch: &scratch)
        var entries = AssessmentEntries()
        draft(lane: 0, scratch: scratch, into: &entries)
        return withUnsafeTemporaryAllocation(of: Assessment.self, capacity: 1) { buffer in
            // The buffer has room for one: `assessments` initializes it, and `move` takes it out again.
            let slot = buffer.baseAddress.unsafelyUnwrapped
            entries.assessments(rules: rules, plan: plan, json: kernel.json, studentID: { _ in record.id }, into: slot)
            return slot.move()
        }
    }

    /// Scores records as of a date on up to `threads` threads (all cores by default), as `audience` may see them
    /// (what a role that sees no sensitive facts may see, unless told otherwise); results in input order.
    ///
    /// Cohort rules apply here, over the whole batch, after every record is scored on its own.
    public func assess(
        _ records: [StudentRecord], asOf: CivilDate, for audience: Audience = .leastPrivileged, threads: Int? = nil
    ) -> [Assessment] {
        let assessments = assessInFull(records, asOf: asOf, threads: threads)
        return audience.seesSensitive ? assessments : assessments.map { $0.visible(to: audience) }
    }

    /// Scores records as of a date in full (``Audience/fullView``), for code that shows each result to a role later.
    ///
    /// Cohort rules apply as they do to a cohort read in chunks: the batch is one chunk, its triggers the whole
    /// exposure (``assessChunk(_:asOf:threads:)``, ``raised(_:records:exposure:)``).
    package func assessInFull(_ records: [StudentRecord], asOf: CivilDate, threads: Int? = nil) -> [Assessment] {
        if rules.cohortRules.isEmpty { return assessEach(records, asOf: asOf, threads: threads).0 }
        let chunk = assessChunk(records, asOf: asOf, threads: threads)
        return raised(chunk, records: records, exposure: chunk.exposure)
    }

    /// Scores records as of a date on up to `threads` threads, without explanations: each student's score, level
    /// and fired indicators, the same as ``assess(_:asOf:for:threads:)`` gives (cohort rules included), in a few flat
    /// arrays, as `audience` may see them (``CohortScores``; what a role that sees no sensitive facts may see, unless
    /// told otherwise). Use it to count, compare or select students; ``assess(_:asOf:for:threads:)`` explains any
    /// one of them.
    public func score(
        _ records: [StudentRecord], asOf: CivilDate, for audience: Audience = .leastPrivileged, threads: Int? = nil
    ) -> CohortScores {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        let count = records.count
        let words = (max(1, rules.indicators.count) + 63) / 64
        var scores = [Double](repeating: 0, count: count)
        var scoreLevels = [Int32](repeating: 0, count: count)
        var levels = [Int32](repeating: 0, count: count)
        var acting = [Int32](repeating: 0, count: count)
        var firedBits = [UInt64](repeating: 0, count: count * words)
        var keys = CohortKeys(slots: [], keys: [])
        // With several scores, each one's sum and level, `scoreCount` per student; empty otherwise.
        let scoreCount = rules.scores.count
        var partScores = [Double](repeating: 0, count: count * scoreCount)
        var partLevels = [Int32](repeating: 0, count: count * scoreCount)
        partScores.withUnsafeMutableBufferPointer { partScoreBuffer in
            partLevels.withUnsafeMutableBufferPointer { partLevelBuffer in
                let partScoreOut = UnsafeSendableBuffer(base: partScoreBuffer.baseAddress)
                let partLevelOut = UnsafeSendableBuffer(base: partLevelBuffer.baseAddress)
                scores.withUnsafeMutableBufferPointer { scoreBuffer in
                    scoreLevels.withUnsafeMutableBufferPointer { scoreLevelBuffer in
                        levels.withUnsafeMutableBufferPointer { levelBuffer in
                            firedBits.withUnsafeMutableBufferPointer { bitBuffer in
                                acting.withUnsafeMutableBufferPointer { actingBuffer in
                                    let actingOut = UnsafeSendableBuffer(base: actingBuffer.baseAddress)
                                    let scoreOut = UnsafeSendableBuffer(base: scoreBuffer.baseAddress)
                                    let scoreLevelOut = UnsafeSendableBuffer(base: scoreLevelBuffer.baseAddress)
                                    let levelOut = UnsafeSendableBuffer(base: levelBuffer.baseAddress)
                                    let bitOut = UnsafeSendableBuffer(base: bitBuffer.baseAddress)
                                    // Levels need no duties: their conditions are not run.
                                    keys = inBatches(records, plan: plan, threads: threads, duties: false) {
                                        _, start, scratch in
                                        guard let scores = scoreOut.base, let scoreLevels = scoreLevelOut.base,
                                            let levels = levelOut.base, let acting = actingOut.base,
                                            let bits = bitOut.base
                                        else { return }
                                        for lane in 0..<scratch.lanes {
                                            let outcome = scratch.outcomes[lane]
                                            scores[start + lane] = outcome.score
                                            scoreLevels[start + lane] = Int32(outcome.scoreLevel)
                                            levels[start + lane] = Int32(outcome.level)
                                            // A student who left neither triggers nor is raised (see cohortExposures).
                                            acting[start + lane] =
                                                outcome.caseState.left ? -1 : Int32(outcome.caseState.actingRank)
                                            (bits + (start + lane) * words).update(
                                                from: scratch.firedBits(lane: lane), count: words)
                                            if scoreCount != 0, let partScores = partScoreOut.base,
                                                let partLevels = partLevelOut.base
                                            {
                                                (partScores + (start + lane) * scoreCount).update(
                                                    from: scratch.scoreSums(lane: lane), count: scoreCount)
                                                (partLevels + (start + lane) * scoreCount).update(
                                                    from: scratch.scoreRanks(lane: lane), count: scoreCount)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let triggers = levels
        for (rule, students) in cohortExposures(
            records: records, keys: keys, threads: threads,
            triggerRank: { acting[$0] < 0 ? -1 : Int($1 ? acting[$0] : triggers[$0]) },
            meetsWhenFired: { student, rule in
                let indicators = rules.cohortRules[rule].triggerIndicators
                return indicators.isEmpty
                    || indicators.contains { firedBits[student * words + $0 / 64] & (1 << UInt64($0 % 64)) != 0 }
            })
        {
            for index in students { levels[index] = max(levels[index], Int32(rules.cohortRules[rule].rank)) }
        }
        let redaction = Redaction(for: audience)
        return CohortScores(
            asOf: asOf, audience: audience,
            hidden: rules.indicators.map { redaction.hides($0) },
            indicatorIDs: rules.indicators.map(\.id), allLevels: rules.levels, scores: scores,
            scoreLevels: scoreLevels, levels: levels, firedBits: firedBits, firedWords: words,
            scoreIDs: rules.scores.map(\.id), partScores: partScores, partLevels: partLevels)
    }

    /// Scores the records in batches of ``Scratch/batchWidth`` on up to `threads` threads, each thread taking one
    /// contiguous slice (``Parallel``) and one scratch for all its batches; `body` gets the thread's number (below
    /// ``workerCount(_:threads:)``), each batch's first index and the scratch holding its results.
    private func inBatches(
        _ records: [StudentRecord], plan: ScoringPlan, threads: Int?, duties: Bool = true,
        _ body: @Sendable (Int, Int, borrowing Scratch) -> Void,
        finish: @Sendable (_ worker: Int, _ slice: Range<Int>) -> Void = { _, _ in }
    ) -> CohortKeys {
        let count = records.count
        let slots = cohortGroupSlots
        var keys = CohortKeys(slots: slots, keys: [UInt64](repeating: 0, count: slots.count * count))
        if count == 0 { return keys }
        keys.keys.withUnsafeMutableBufferPointer { keyBuffer in
            let keyOut = UnsafeSendableBuffer(base: keyBuffer.baseAddress)
            Parallel.forEachPart(items: count, parts: workerCount(count, threads: threads)) { worker, slice in
                var scratch = Scratch(
                    rules: rules, plan: plan, kernel: kernel, width: Scratch.batchWidth, duties: duties)
                let (start, end) = (slice.lowerBound, slice.upperBound)
                for batchStart in stride(from: start, to: end, by: Scratch.batchWidth) {
                    evaluate(records[batchStart..<min(end, batchStart + Scratch.batchWidth)], scratch: &scratch)
                    // The cohort rules' group keys are taken now, while each record's storage is in the cache.
                    if let keys = keyOut.base {
                        for (position, slot) in slots.enumerated() {
                            for lane in 0..<scratch.lanes {
                                let storage = records[batchStart + lane].storage
                                keys[position * count + batchStart + lane] =
                                    slot < storage.textCount ? storage.textKeys[slot] : 0
                            }
                        }
                    }
                    body(worker, batchStart, scratch)
                }
                if start < end { finish(worker, start..<end) }
            }
        }
        return keys
    }

    /// How many threads score `count` records: up to `threads` (all cores by default), at least 1,024 records each
    /// (``Parallel/workerCount(items:minimumPerWorker:cores:)``).
    func workerCount(_ count: Int, threads: Int?) -> Int {
        Parallel.workerCount(items: count, minimumPerWorker: 1024, cores: threads)
    }

    /// The assessments, each one's trigger ranks (for the cohort rules), and the cohort rules' group keys.
    func assessEach(_ records: [StudentRecord], asOf: CivilDate, threads: Int?) -> (
        [Assessment], [TriggerRanks], CohortKeys
    ) {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        var keys = CohortKeys(slots: [], keys: [])
        var levels = [TriggerRanks](repeating: TriggerRanks(), count: records.count)
        // Read once for the batch, not per record.
        let whenFired = whenFiredRules
        // Each thread drafts its slice's assessments into entries of its own; when the slice is done, they go on one
        // sheet (so two threads never retain one object, which would pass its reference count between the cores).
        var entries = [AssessmentEntries](
            repeating: AssessmentEntries(), count: workerCount(records.count, threads: threads))
        let assessments = [Assessment](unsafeUninitializedCapacity: records.count) { buffer, initialized in
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            entries.withUnsafeMutableBufferPointer { entries in
                levels.withUnsafeMutableBufferPointer { levels in
                    let drafts = UnsafeSendableBuffer(base: entries.baseAddress)
                    let levelOut = UnsafeSendableBuffer(base: levels.baseAddress)
                    keys = inBatches(records, plan: plan, threads: threads) { worker, start, scratch in
                        guard let drafts = drafts.base, let levels = levelOut.base else { return }
                        for lane in 0..<scratch.lanes {
                            draft(lane: lane, scratch: scratch, into: &drafts[worker])
                            let outcome = scratch.outcomes[lane]
                            levels[start + lane] =
                                outcome.caseState.left
                                ? TriggerRanks(level: -1, acting: -1)
                                : TriggerRanks(
                                    level: Int32(outcome.level), acting: Int32(outcome.caseState.actingRank),
                                    whenFired: whenFired.isEmpty
                                        ? ~0
                                        : Self.whenFiredMask(
                                            firedBits: scratch.firedBits(lane: lane), rules: whenFired))
                        }
                    } finish: { worker, slice in
                        guard let drafts = drafts.base, let output = output.base else { return }
                        drafts[worker].assessments(
                            rules: rules, plan: plan, json: kernel.json,
                            studentID: { records[slice.lowerBound + $0].id },
                            into: output + slice.lowerBound)
                        drafts[worker] = AssessmentEntries()
                    }
                }
            }
            initialized = records.count
        }
        return (assessments, levels, keys)
    }

    /// Scores up to `scratch.width` records side by side, leaving each one's outcome, fired indicators, points and
    /// held rules in `scratch`; the records must stay alive while `scratch` is read.
    func evaluate(_ records: ArraySlice<StudentRecord>, scratch: inout Scratch) {
        let lanes = records.count
        scratch.lanes = lanes
        scratch.firedBits.update(repeating: 0, count: lanes * scratch.firedWords)
        // Points are written only for indicators that fire, and read only where the fired bit is set.
        for lane in 0..<lanes {
            // Each frame points into its record's storage, which the caller keeps alive. Only the storage is read:
            // taking the whole record would copy it.
            (scratch.frames + lane).initialize(
                to: EvalFrame(
                    storage: records[records.startIndex + lane].storage, asOf: scratch.asOf,
                    asOfAcademicYear: scratch.asOfAcademicYear,
                    windowActive: scratch.windowActive, firedBits: scratch.firedBits(lane: lane),
                    points: scratch.points(lane: lane)))
            if scratch.monthWindowCount > 0 {
                scratch.frames[lane].monthWindowDays = UnsafePointer(scratch.monthWindowDays)
                scratch.frames[lane].monthWindowCount = scratch.monthWindowCount
            }
            if scratch.studyYearSlot >= 0 {
                // An enrolment after the as-of date is not yet known: study_year() is missing.
                let enrolled = scratch.frames[lane].values[scratch.studyYearSlot]
                scratch.frames[lane].studyYear =
                    enrolled > Double(scratch.asOf) ? .nan : scratch.studyYears.studyYear(enrolled: enrolled)
            }
        }
        for step in scratch.steps {
            let hasCondition = step.condition.count != 0
            if step.bandValue.count == 0 {
                if hasCondition {
                    let holds = scratch.run(step.condition)
                    for lane in 0..<lanes where holds[lane] == 1 {
                        scratch.fire(step.indicator, lane: lane, points: step.fixedPoints)
                    }
                } else {
                    for lane in 0..<lanes { scratch.fire(step.indicator, lane: lane, points: step.fixedPoints) }
                }
                continue
            }
            if hasCondition { scratch.conditionValues.update(from: scratch.run(step.condition), count: lanes) }
            let values = scratch.run(step.bandValue)
            if let bounds = step.valueBounds {
                // Points from a value: the value is clamped to the bounds, and the indicator fires when that gives
                // points. A missing value, one that comes to 0 or less, or one beyond every number that no bound
                // holds gives none: such an indicator does not fire (as a value below the first band does not),
                // so it counts in no fired_count().
                for lane in 0..<lanes {
                    if hasCondition && scratch.conditionValues[lane] != 1 { continue }
                    let value = values[lane]
                    if value.isNaN { continue }
                    let clamped =
                        value < bounds.lowest ? bounds.lowest : (value > bounds.highest ? bounds.highest : value)
                    guard clamped > 0, clamped.isFinite else { continue }
                    scratch.fire(step.indicator, lane: lane, points: clamped * step.factor)
                }
                continue
            }
            for lane in 0..<lanes {
                if hasCondition && scratch.conditionValues[lane] != 1 { continue }
                let value = values[lane]
                if value.isNaN { continue }
                // Bands are sorted by `from`: the last one at or below the value applies.
                var band = -1
                for offset in 0..<Int(step.bands.count) where scratch.bandFroms[Int(step.bands.start) + offset] <= value
                {
                    band = offset
                }
                if band < 0 { continue }
                scratch.fire(
                    step.indicator, lane: lane, points: scratch.bandPoints[Int(step.bands.start) + band] * step.factor)
            }
        }
        for lane in 0..<lanes {
            // The fired indicators' points, added in rule-set order, found bit by bit.
            let points = scratch.points(lane: lane)
            let fired = scratch.firedBits(lane: lane)
            var score = 0.0
            for word in 0..<scratch.firedWords {
                var bits = fired[word]
                while bits != 0 {
                    score += points[word << 6 | bits.trailingZeroBitCount]
                    bits &= bits &- 1
                }
            }
            scratch.frames[lane].score = score
            var scoreLevel = 0
            if scratch.scoreCount != 0 {
                scoreLevel = combineScores(lane: lane, scratch: scratch)
            } else {
                for rank in scratch.thresholds.indices.dropFirst() where score >= scratch.thresholds[rank] {
                    scoreLevel = rank
                }
            }
            scratch.outcomes[lane] = Outcome(score: score, scoreLevel: scoreLevel, level: scoreLevel)
        }
        // Caps first, then escalations, each noting whether it held so the assessment need not run it again.
        let ruleCount = scratch.levelSteps.count
        for (position, step) in scratch.levelSteps.enumerated() {
            let holds = scratch.run(step.condition)
            for lane in 0..<lanes {
                let held = holds[lane] == 1
                scratch.ruleHeld[lane * ruleCount + position] = held
                guard held else { continue }
                let level = scratch.outcomes[lane].level
                scratch.outcomes[lane].level =
                    position < scratch.capCount ? min(level, step.level) : max(level, step.level)
                if step.actsAtOnce {
                    scratch.outcomes[lane].caseState.actRank = max(
                        scratch.outcomes[lane].caseState.actRank, Int32(step.level))
                    if !step.isSensitive {
                        scratch.outcomes[lane].caseState.visibleActRank = max(
                            scratch.outcomes[lane].caseState.visibleActRank, Int32(step.level))
                    }
                }
            }
        }
        let actionCount = scratch.actionSteps.count
        for (position, step) in scratch.actionSteps.enumerated() {
            if step.count == 0 {
                for lane in 0..<lanes { scratch.actionHeld[lane * actionCount + position] = true }
                continue
            }
            let holds = scratch.run(step)
            for lane in 0..<lanes { scratch.actionHeld[lane * actionCount + position] = holds[lane] == 1 }
        }
        let slots = kernel.caseSlots
        if slots.confirmedLevel >= 0 || slots.closedOn >= 0 || slots.leftOn >= 0 {
            for lane in 0..<lanes {
                let closedOn = readCaseFacts(
                    values: scratch.frames[lane].values, asOf: scratch.asOf, into: &scratch.outcomes[lane].caseState)
                // Few cases are closed: only theirs are searched for a risk fact after the closure (reading the
                // record's storage, not copying the record).
                if let closedOn {
                    let found = records[records.startIndex + lane].storage.hasFact(
                        onOrAfter: closedOn, through: scratch.asOf, excludingEventKinds: kernel.staffEventKinds,
                        sensitiveKinds: kernel.sensitiveEventKinds, sensitiveScales: kernel.sensitiveScales)
                    // A leave that began on or after the closure reopens the case too.
                    let leave =
                        kernel.caseSlots.leaveFrom >= 0 ? scratch.frames[lane].values[kernel.caseSlots.leaveFrom] : .nan
                    let leaveSince = !leave.isNaN && leave >= Double(closedOn) && leave <= Double(scratch.asOf)
                    scratch.outcomes[lane].caseState.closed = !(found.any || leaveSince)
                    scratch.outcomes[lane].caseState.visiblyClosed = !(found.visible || leaveSince)
                }
            }
        }
    }

    /// With several scores: sums the points of each score's fired indicators (in rule-set order, as the fired entries
    /// list them), gives each score its level by its own thresholds, and returns the level they combine to. Only rule
    /// sets that declare several scores run it.
    private func combineScores(lane: Int, scratch: borrowing Scratch) -> Int {
        let count = scratch.scoreCount
        let sums = scratch.scoreSums(lane: lane)
        let ranks = scratch.scoreRanks(lane: lane)
        sums.update(repeating: 0, count: count)
        let points = scratch.points(lane: lane)
        let fired = scratch.firedBits(lane: lane)
        kernel.indicatorScores.withUnsafeBufferPointer { indicatorScores in
            for word in 0..<scratch.firedWords {
                var bits = fired[word]
                while bits != 0 {
                    let index = word << 6 | bits.trailingZeroBitCount
                    sums[indicatorScores[index]] += points[index]
                    bits &= bits &- 1
                }
            }
        }
        let levelCount = scratch.thresholds.count
        kernel.scoreThresholds.withUnsafeBufferPointer { thresholds in
            for score in 0..<count {
                var rank = 0
                for candidate in 1..<max(1, levelCount) where sums[score] >= thresholds[score * levelCount + candidate]
                {
                    rank = candidate
                }
                ranks[score] = Int32(rank)
            }
        }
        return kernel.scoreCombination.combine(UnsafeBufferPointer(start: ranks, count: count))
    }

    /// Reads a record's case facts as of the scoring date: a confirmation counts from its date; a closure on or
    /// before the as-of date ends the confirmations before it (a confirmation after it opens a new case). Returns the
    /// closure's day when the case is closed unless a risk fact came after it, which the caller looks for (and which
    /// reopens the case, with nothing confirmed).
    private func readCaseFacts(values: UnsafePointer<Double>, asOf: Int32, into state: inout CaseState) -> Int32? {
        let slots = kernel.caseSlots
        let day = Double(asOf)
        func date(_ slot: Int) -> Double? {
            guard slot >= 0 else { return nil }
            let value = values[slot]
            return value.isNaN || value > day ? nil : value
        }
        let confirmedOn = date(slots.confirmedOn)
        let confirmedLevel = slots.confirmedLevel >= 0 ? values[slots.confirmedLevel] : .nan
        var confirmed = confirmedOn != nil && !confirmedLevel.isNaN
        var closure: Int32?
        if let closedOn = date(slots.closedOn) {
            if confirmed, let confirmedOn, confirmedOn > closedOn {
                closure = nil
            } else {
                confirmed = false
                closure = Int32(closedOn)
            }
        }
        state.confirmedRank = confirmed ? Int32(confirmedLevel) : -1
        if confirmed, let confirmedOn {
            state.confirmedOn = Int32(confirmedOn)
            if slots.confirmedBy >= 0, !values[slots.confirmedBy].isNaN {
                state.confirmedBy = Int16(values[slots.confirmedBy])
            }
            if slots.confirmedHow >= 0, !values[slots.confirmedHow].isNaN {
                state.confirmedHow = Int16(values[slots.confirmedHow])
            }
        }
        state.left = date(slots.leftOn) != nil
        return closure
    }

}
