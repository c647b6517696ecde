internal import RiskScreenRules

extension ScoringEngine {
    /// One indicator in force on the as-of date, with its points after calendar multipliers (negative for a
    /// protective factor).
    struct IndicatorStep {
        var indicator: Int
        var condition: Kernel.CodeRange
        var bandValue: Kernel.CodeRange
        var bands: Kernel.CodeRange
        var fixedPoints: Double
        var factor: Double
        /// For points from a value (computed by ``bandValue``): the bounds they are clamped to; nil otherwise.
        var valueBounds: Kernel.ValueBounds?
    }

    /// A cap or escalation: its condition and the level it caps at or raises to.
    struct LevelStep {
        var condition: Kernel.CodeRange
        var level: Int
        /// An escalation that acts at once, before a person confirms it.
        var actsAtOnce = false
        /// Its condition reads sensitive facts.
        var isSensitive = false
    }

    /// The score and levels of one record.
    struct Outcome {
        var score: Double
        var scoreLevel: Int
        var level: Int
        /// The record's case facts as of the scoring date.
        var caseState = CaseState()
    }

    /// Per-thread working memory for a batch of up to `width` records scored side by side, made once per worker
    /// and reused for every batch of its slice, so the scoring loop allocates nothing: the thread's own copy of the
    /// code and steps, the stack of value vectors, and each record's frame, fired indicators, points, held rules and
    /// outcome.
    ///
    /// It owns its memory: `deinit` frees it. It cannot be copied, so it is passed `inout` (to score a batch) or
    /// `borrowing` (to read the results); the compiler rules out a second free and a forgotten one. Its pointers are
    /// valid only while it lives: a pointer read from it must not be used past the borrow that read it.
    struct Scratch: ~Copyable {
        /// How many records are scored side by side: enough to spread the decoding of each step over many records,
        /// few enough that a batch's working memory stays in the first-level cache.
        static let batchWidth = 32

        let width: Int
        /// Indicators in the rule set (at least 1).
        let count: Int
        /// `width` rows of `firedWords`: which indicators fired for each record, as bits.
        let firedBits: UnsafeMutablePointer<UInt64>
        let firedWords: Int
        /// `width` rows of `count`: each fired indicator's points (entries of indicators that did not fire are stale).
        let points: UnsafeMutablePointer<Double>
        /// `width` rows of `levelSteps.count`: whether each cap, then each escalation, held.
        let ruleHeld: UnsafeMutablePointer<Bool>
        let windowActive: UnsafeMutablePointer<Bool>
        /// Days in a window of `m` calendar months as of the as-of date, by `m`, up to the longest the code reads:
        /// worked out once here, not per record.
        let monthWindowDays: UnsafeMutablePointer<Int32>
        /// How many entries ``monthWindowDays`` has: 0 when the code reads no window in months.
        let monthWindowCount: Int
        /// One frame per record of the batch, set by ``ScoringEngine/evaluate(_:scratch:)``.
        let frames: UnsafeMutablePointer<EvalFrame>
        let outcomes: UnsafeMutablePointer<Outcome>
        /// A condition's values, kept while an indicator's banded value is computed.
        let conditionValues: UnsafeMutablePointer<Double>
        let asOf: Int32
        let asOfAcademicYear: Int
        /// The enrolment date's slot when the code reads `study_year()` (worked out once per record), else -1.
        let studyYearSlot: Int
        let code: UnsafeMutablePointer<Instruction>
        /// `stackDepth` vectors of `width` values.
        let stack: UnsafeMutablePointer<Double>
        /// The indicators in force, in dependency order.
        let steps: UnsafeMutableBufferPointer<IndicatorStep>
        /// The caps, then the escalations.
        let levelSteps: UnsafeMutableBufferPointer<LevelStep>
        let capCount: Int
        /// The duties' conditions (a count of 0: no condition, owed whenever its other terms hold).
        let actionSteps: UnsafeMutableBufferPointer<Kernel.CodeRange>
        /// `width` rows of `actionSteps.count`: whether each duty's condition held.
        let actionHeld: UnsafeMutablePointer<Bool>
        let bandFroms: UnsafeMutablePointer<Double>
        let bandPoints: UnsafeMutablePointer<Double>
        let thresholds: UnsafeMutableBufferPointer<Double>
        /// The rule set's several scores (0 for one score); `width` rows of `scoreCount`: each score's sum and level rank.
        let scoreCount: Int
        let scoreSums: UnsafeMutablePointer<Double>
        let scoreRanks: UnsafeMutablePointer<Int32>
        /// The number of records in the batch being scored.
        var lanes = 0
        /// `study_year()` by enrolment date for the as-of date.
        let studyYears: AcademicYear.StudyYearTable

        /// Scratch for batches of up to `width` records; with `duties: false` the duties' conditions are not run (for
        /// levels alone, ``ScoringEngine/score(_:asOf:threads:)``).
        init(rules: RuleSet, plan: ScoringPlan, kernel: Kernel, width: Int, duties: Bool = true) {
            self.width = max(1, width)
            count = max(1, rules.indicators.count)
            firedWords = (count + 63) / 64
            firedBits = .allocate(capacity: self.width * firedWords)
            points = .allocate(capacity: self.width * count)
            windowActive = .allocate(capacity: max(1, plan.day.windowActive.count))
            windowActive.initialize(from: plan.day.windowActive, count: plan.day.windowActive.count)
            monthWindowCount = kernel.longestMonthWindow > 0 ? kernel.longestMonthWindow + 1 : 0
            monthWindowDays = .allocate(capacity: max(1, monthWindowCount))
            monthWindowDays.initialize(to: 0)
            for months in 1..<max(1, monthWindowCount) {
                (monthWindowDays + months).initialize(to: plan.asOf.monthWindowDays(months))
            }
            frames = .allocate(capacity: self.width)
            outcomes = .allocate(capacity: self.width)
            conditionValues = .allocate(capacity: self.width)
            asOf = plan.day.asOf
            asOfAcademicYear = plan.asOfAcademicYear
            studyYears = AcademicYear.StudyYearTable(
                asOfAcademicYear: plan.asOfAcademicYear, start: rules.academicYearStart)
            let enrolmentSlot = rules.schema.enrolmentField.map { rules.schema.fields[$0].slot }
            studyYearSlot =
                kernel.code.contains { $0.operation == .studyYear || $0.operation == .compareStudyYear }
                ? enrolmentSlot ?? -1 : -1
            code = .allocate(capacity: max(1, kernel.code.count))
            code.initialize(from: kernel.code, count: kernel.code.count)
            stack = .allocate(capacity: kernel.stackDepth * self.width)
            steps = .allocate(capacity: plan.order.count)
            for (position, index) in plan.order.enumerated() {
                let factor = plan.multiplier[index] * (kernel.protective[index] ? -1 : 1)
                steps.initializeElement(
                    at: position,
                    to: IndicatorStep(
                        indicator: index, condition: kernel.conditions[index], bandValue: kernel.bandValues[index],
                        bands: kernel.bandRanges[index], fixedPoints: kernel.fixedPoints[index] * factor,
                        factor: factor,
                        valueBounds: kernel.valueBounds[index]))
            }
            capCount = kernel.caps.count
            levelSteps = .allocate(capacity: kernel.caps.count + kernel.escalations.count)
            for index in kernel.caps.indices {
                levelSteps.initializeElement(
                    at: index, to: LevelStep(condition: kernel.caps[index], level: kernel.capLevels[index]))
            }
            for index in kernel.escalations.indices {
                levelSteps.initializeElement(
                    at: capCount + index,
                    to: LevelStep(
                        condition: kernel.escalations[index], level: kernel.escalationLevels[index],
                        actsAtOnce: kernel.escalationActsAtOnce[index],
                        isSensitive: kernel.escalationIsSensitive[index]))
            }
            ruleHeld = .allocate(capacity: self.width * max(1, levelSteps.count))
            actionSteps = .allocate(capacity: duties ? kernel.actions.count : 0)
            _ = actionSteps.initialize(from: duties ? kernel.actions : [])
            actionHeld = .allocate(capacity: self.width * max(1, kernel.actions.count))
            bandFroms = .allocate(capacity: max(1, kernel.bandFroms.count))
            bandFroms.initialize(from: kernel.bandFroms, count: kernel.bandFroms.count)
            bandPoints = .allocate(capacity: max(1, kernel.bandPoints.count))
            bandPoints.initialize(from: kernel.bandPoints, count: kernel.bandPoints.count)
            thresholds = .allocate(capacity: kernel.thresholds.count)
            _ = thresholds.initialize(from: kernel.thresholds)
            scoreCount = kernel.scoreCount
            scoreSums = .allocate(capacity: self.width * max(1, kernel.scoreCount))
            scoreRanks = .allocate(capacity: self.width * max(1, kernel.scoreCount))
        }

        /// Frees the 18 allocations. Every element type is plain data (numbers, flags, pointers that own nothing), so
        /// nothing needs deinitializing first.
        deinit {
            frames.deallocate()
            outcomes.deallocate()
            conditionValues.deallocate()
            ruleHeld.deallocate()
            windowActive.deallocate()
            monthWindowDays.deallocate()
            firedBits.deallocate()
            points.deallocate()
            code.deallocate()
            stack.deallocate()
            steps.deallocate()
            levelSteps.deallocate()
            actionSteps.deallocate()
            actionHeld.deallocate()
            bandFroms.deallocate()
            bandPoints.deallocate()
            thresholds.deallocate()
            scoreSums.deallocate()
            scoreRanks.deallocate()
        }

        /// Which indicators fired for the record in `lane`, as bits.
        func firedBits(lane: Int) -> UnsafeMutablePointer<UInt64> { firedBits + lane * firedWords }
        /// Each indicator's points for the record in `lane`.
        func points(lane: Int) -> UnsafeMutablePointer<Double> { points + lane * count }
        /// Whether each cap, then each escalation, held for the record in `lane`.
        func ruleHeld(lane: Int) -> UnsafeMutablePointer<Bool> { ruleHeld + lane * levelSteps.count }
        /// Each score's sum for the record in `lane` (with several scores).
        func scoreSums(lane: Int) -> UnsafeMutablePointer<Double> { scoreSums + lane * max(1, scoreCount) }
        /// Each score's level rank for the record in `lane` (with several scores).
        func scoreRanks(lane: Int) -> UnsafeMutablePointer<Int32> { scoreRanks + lane * max(1, scoreCount) }
        /// Whether each duty's condition held for the record in `lane`.
        func actionHeld(lane: Int) -> UnsafeMutablePointer<Bool> { actionHeld + lane * actionSteps.count }

        /// Marks an indicator fired, with its points, for the record in `lane`.
        @inline(__always)
        func fire(_ indicator: Int, lane: Int, points value: Double) {
            firedBits[lane * firedWords + indicator >> 6] |= 1 << UInt64(indicator & 63)
            points[lane * count + indicator] = value
        }

        /// Runs a stretch of the code for every record of the batch; the values are valid until the next run.
        @inline(__always)
        func run(_ range: Kernel.CodeRange) -> UnsafeMutablePointer<Double> {
            ExpressionCode.runLanes(
                code + Int(range.start), Int(range.count), lanes: lanes, frames: frames, stack: stack, width: width)
        }
    }
}
