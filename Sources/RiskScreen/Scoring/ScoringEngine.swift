internal import Dispatch
internal import Foundation

/// Scores student records against a ``RuleSet``: graded, explained assessments, one at a time or in batches.
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
                    .error, at: SourceLocation(file: file, line: 1, column: 1),
                    "found a rule set without levels; expected levels to score with (extend this rule set with one that has them)")
            ])
        }
        self.rules = rules
        kernel = Kernel(rules: rules)
    }

    /// The rule set flattened into plain values: every condition's code in one array, and where each starts.
    struct Kernel: Sendable {
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
        let protective: [Bool]
        let thresholds: [Double]
        let caps: [CodeRange]
        let capLevels: [Int]
        let escalations: [CodeRange]
        let escalationLevels: [Int]

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
            bandValues = rules.indicators.map { if case .banded(let program, _) = $0.points { append(program.code) } else { CodeRange() } }
            caps = rules.caps.map { append($0.condition.code) }
            escalations = rules.escalations.map { append($0.condition.code) }
            self.code = code
            stackDepth = depth
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
            protective = rules.indicators.map(\.isProtective)
            thresholds = rules.levels.map(\.threshold)
            capLevels = rules.caps.map(\.level)
            escalationLevels = rules.escalations.map(\.level)
        }

        /// The only step of a stretch of code, when it is one leaf step.
        func single(_ range: CodeRange) -> Instruction? {
            guard range.count == 1, code[Int(range.start)].isLeaf else { return nil }
            return code[Int(range.start)]
        }
    }

    let kernel: Kernel

    /// One indicator in force on the as-of date, with its points after calendar multipliers (negative for a
    /// protective factor).
    struct IndicatorStep {
        var indicator: Int
        var condition: Kernel.CodeRange
        var bandValue: Kernel.CodeRange
        var bands: Kernel.CodeRange
        var fixedPoints: Double
        var factor: Double
    }

    /// An indicator in force whose condition is one step that reads the record only (no other indicator) and
    /// whose points are fixed: the common case, run without the interpreter's loop, grouped by the kind of step.
    struct SingleStep {
        var instruction: Instruction
        var indicator: Int
        var points: Double
    }

    /// A cap or escalation: its condition and the level it caps at or raises to.
    struct LevelStep {
        var condition: Kernel.CodeRange
        /// The condition's only step, when it is one leaf step.
        var single: Instruction?
        var level: Int
    }

    /// Scores one record as of a date.
    public func assess(_ record: StudentRecord, asOf: CivilDate) -> Assessment {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        var scratch = Scratch(rules: rules, plan: plan, kernel: kernel)
        defer { scratch.deallocate() }
        return assess(record, plan: plan, scratch: &scratch)
    }

    /// Scores records as of a date on up to `threads` threads (all cores by default); results in input order.
    ///
    /// Cohort rules apply here, over the whole batch, after every record is scored on its own.
    public func assess(_ records: [StudentRecord], asOf: CivilDate, threads: Int? = nil) -> [Assessment] {
        let assessments = assessEach(records, asOf: asOf, threads: threads)
        return rules.cohortRules.isEmpty ? assessments : applyCohortRules(to: assessments, records: records)
    }

    /// Raises the others in a group of a student at a cohort rule's trigger level; triggers are read from the
    /// levels before any cohort rule applies, so exposure does not cascade from one group to the next.
    func applyCohortRules(to assessments: [Assessment], records: [StudentRecord]) -> [Assessment] {
        var result = assessments
        for rule in rules.cohortRules {
            // Few students trigger a rule: find their groups first, then one pass marks the others in those groups.
            var exposedGroups: Set<String> = []
            var triggers: Set<Int> = []
            for (index, assessment) in assessments.enumerated() where assessment.levelRank >= rule.triggerLevel {
                guard let group = records[index].groupValue(slot: rule.groupSlot) else { continue }
                exposedGroups.insert(group)
                triggers.insert(index)
            }
            if exposedGroups.isEmpty { continue }
            for (index, record) in records.enumerated() where !triggers.contains(index) {
                guard let group = record.groupValue(slot: rule.groupSlot), exposedGroups.contains(group) else { continue }
                result[index] = result[index].exposed(by: rule, levels: rules.levels)
            }
        }
        return result
    }

    private func assessEach(_ records: [StudentRecord], asOf: CivilDate, threads: Int?) -> [Assessment] {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        let count = records.count
        if count == 0 { return [] }
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, (count + 1023) / 1024))
        let chunk = (count + workers - 1) / workers
        return [Assessment](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var scratch = Scratch(rules: rules, plan: plan, kernel: kernel)
                defer { scratch.deallocate() }
                let start = worker * chunk
                let end = min(count, start + chunk)
                guard start < end, let base = output.base else { return }
                for index in start..<end {
                    (base + index).initialize(to: assess(records[index], plan: plan, scratch: &scratch))
                }
            }
            initialized = count
        }
    }

    /// Per-thread working memory, allocated once per batch slice, so the scoring loop allocates nothing: the
    /// thread's own copy of the code and steps, the stack, and the record's fired indicators and points.
    struct Scratch {
        let fired: UnsafeMutablePointer<Truth>
        /// The fired indicators as bits, for tests of a set of them (`fired_count`, `a or b or …`).
        let firedBits: UnsafeMutablePointer<UInt64>
        let firedWords: Int
        let points: UnsafeMutablePointer<Double>
        let windowActive: UnsafeMutablePointer<Bool>
        /// Whether each cap, then each escalation, held for the record being scored.
        let ruleHeld: UnsafeMutablePointer<Bool>
        /// The frame of the record being scored, set by ``ScoringEngine/evaluate(_:plan:scratch:)``.
        let frame: UnsafeMutablePointer<EvalFrame>
        let count: Int
        let asOf: Int32
        let asOfAcademicYear: Int
        let code: UnsafeMutablePointer<Instruction>
        let stack: UnsafeMutablePointer<Double>
        /// The indicators in force whose condition is one step, grouped by the kind of step so the dispatch on it
        /// is predictable; they read no other indicator, so they run first.
        let singles: UnsafeMutableBufferPointer<SingleStep>
        /// The other indicators in force, in dependency order.
        let steps: UnsafeMutableBufferPointer<IndicatorStep>
        /// Every indicator in force, in dependency order: the score adds their points in this order.
        let order: UnsafeMutableBufferPointer<Int>
        /// The caps, then the escalations.
        let levelSteps: UnsafeMutableBufferPointer<LevelStep>
        let capCount: Int
        let bandFroms: UnsafeMutablePointer<Double>
        let bandPoints: UnsafeMutablePointer<Double>
        let thresholds: UnsafeMutableBufferPointer<Double>

        init(rules: RuleSet, plan: ScoringPlan, kernel: Kernel) {
            count = max(1, rules.indicators.count)
            fired = .allocate(capacity: count)
            firedWords = (count + 63) / 64
            firedBits = .allocate(capacity: firedWords)
            points = .allocate(capacity: count)
            windowActive = .allocate(capacity: max(1, plan.day.windowActive.count))
            windowActive.initialize(from: plan.day.windowActive, count: plan.day.windowActive.count)
            frame = .allocate(capacity: 1)
            asOf = plan.day.asOf
            asOfAcademicYear = plan.asOfAcademicYear
            code = .allocate(capacity: max(1, kernel.code.count))
            code.initialize(from: kernel.code, count: kernel.code.count)
            stack = .allocate(capacity: kernel.stackDepth)
            var singleSteps: [SingleStep] = []
            var otherSteps: [IndicatorStep] = []
            for index in plan.order {
                let factor = plan.multiplier[index] * (kernel.protective[index] ? -1 : 1)
                let step = IndicatorStep(
                    indicator: index, condition: kernel.conditions[index], bandValue: kernel.bandValues[index],
                    bands: kernel.bandRanges[index], fixedPoints: kernel.fixedPoints[index] * factor, factor: factor)
                if step.bandValue.count == 0, let single = kernel.single(step.condition), single.operation != .fired {
                    singleSteps.append(SingleStep(instruction: single, indicator: index, points: step.fixedPoints))
                } else {
                    otherSteps.append(step)
                }
            }
            singles = .allocate(capacity: singleSteps.count)
            _ = singles.initialize(from: singleSteps.enumerated().sorted {
                ($0.element.instruction.operation.rawValue, $0.offset) < ($1.element.instruction.operation.rawValue, $1.offset)
            }.map(\.element))
            steps = .allocate(capacity: otherSteps.count)
            _ = steps.initialize(from: otherSteps)
            order = .allocate(capacity: plan.order.count)
            _ = order.initialize(from: plan.order)
            capCount = kernel.caps.count
            levelSteps = .allocate(capacity: kernel.caps.count + kernel.escalations.count)
            for index in kernel.caps.indices {
                levelSteps.initializeElement(
                    at: index,
                    to: LevelStep(condition: kernel.caps[index], single: kernel.single(kernel.caps[index]), level: kernel.capLevels[index]))
            }
            for index in kernel.escalations.indices {
                levelSteps.initializeElement(
                    at: capCount + index,
                    to: LevelStep(
                        condition: kernel.escalations[index], single: kernel.single(kernel.escalations[index]),
                        level: kernel.escalationLevels[index]))
            }
            ruleHeld = .allocate(capacity: max(1, levelSteps.count))
            bandFroms = .allocate(capacity: max(1, kernel.bandFroms.count))
            bandFroms.initialize(from: kernel.bandFroms, count: kernel.bandFroms.count)
            bandPoints = .allocate(capacity: max(1, kernel.bandPoints.count))
            bandPoints.initialize(from: kernel.bandPoints, count: kernel.bandPoints.count)
            thresholds = .allocate(capacity: kernel.thresholds.count)
            _ = thresholds.initialize(from: kernel.thresholds)
        }

        func deallocate() {
            frame.deallocate()
            ruleHeld.deallocate()
            windowActive.deallocate()
            fired.deallocate()
            firedBits.deallocate()
            points.deallocate()
            code.deallocate()
            stack.deallocate()
            singles.deallocate()
            steps.deallocate()
            order.deallocate()
            levelSteps.deallocate()
            bandFroms.deallocate()
            bandPoints.deallocate()
            thresholds.deallocate()
        }

        /// Marks an indicator fired with its points.
        @inline(__always)
        func fire(_ indicator: Int, points value: Double) {
            fired[indicator] = .true
            firedBits[indicator >> 6] |= 1 << UInt64(indicator & 63)
            points[indicator] = value
        }

        /// Runs a stretch of the code on the current frame.
        @inline(__always)
        func run(_ range: Kernel.CodeRange) -> Double {
            ExpressionCode.run(code + Int(range.start), Int(range.count), UnsafePointer(frame), stack)
        }
    }

    /// The score and levels of one record, leaving fired indicators and their points in `scratch`.
    struct Outcome {
        var score: Double
        var scoreLevel: Int
        var level: Int
    }

    func evaluate(_ record: StudentRecord, plan: ScoringPlan, scratch: inout Scratch) -> Outcome {
        scratch.fired.update(repeating: .false, count: scratch.count)
        scratch.firedBits.update(repeating: 0, count: scratch.firedWords)
        scratch.points.update(repeating: 0, count: scratch.count)
        // The frame points into the record's storage, which `record` keeps alive for the whole call.
        scratch.frame.initialize(
            to: EvalFrame(
                storage: record.storage, asOf: scratch.asOf, asOfAcademicYear: scratch.asOfAcademicYear,
                windowActive: scratch.windowActive, fired: scratch.fired, firedBits: scratch.firedBits))
        let frame = UnsafePointer(scratch.frame)
        for single in scratch.singles where ExpressionCode.leaf(single.instruction, frame) == 1 {
            scratch.fire(single.indicator, points: single.points)
        }
        for step in scratch.steps {
            if step.condition.count != 0, scratch.run(step.condition) != 1 { continue }
            var points = step.fixedPoints
            if step.bandValue.count != 0 {
                let value = scratch.run(step.bandValue)
                if value.isNaN { continue }
                // Bands are sorted by `from`: the last one at or below the value applies.
                var band = -1
                for offset in 0..<Int(step.bands.count) where scratch.bandFroms[Int(step.bands.start) + offset] <= value {
                    band = offset
                }
                if band < 0 { continue }
                points = scratch.bandPoints[Int(step.bands.start) + band] * step.factor
            }
            scratch.fire(step.indicator, points: points)
        }
        // Points are 0 for indicators that did not fire; adding in dependency order keeps the sum exactly the same
        // whatever order the indicators ran in.
        var score = 0.0
        for index in scratch.order { score += scratch.points[index] }
        scratch.frame.pointee.score = score
        var scoreLevel = 0
        for rank in scratch.thresholds.indices.dropFirst() where score >= scratch.thresholds[rank] { scoreLevel = rank }
        // Caps first, then escalations, each noting whether it held so the assessment need not run it again.
        var level = scoreLevel
        for (position, step) in scratch.levelSteps.enumerated() {
            let holds = (step.single.map { ExpressionCode.leaf($0, frame) } ?? scratch.run(step.condition)) == 1
            scratch.ruleHeld[position] = holds
            if holds { level = position < scratch.capCount ? min(level, step.level) : max(level, step.level) }
        }
        return Outcome(score: score, scoreLevel: scoreLevel, level: level)
    }

    func assess(_ record: StudentRecord, plan: ScoringPlan, scratch: inout Scratch) -> Assessment {
        let outcome = evaluate(record, plan: plan, scratch: &scratch)
        let frame = UnsafePointer(scratch.frame)
        var firedCount = 0
        for index in 0..<scratch.count where scratch.fired[index] == .true { firedCount += 1 }
        var fired: [FiredIndicator] = []
        fired.reserveCapacity(firedCount)
        rules.indicators.withUnsafeBufferPointer { indicators in
            // Fields are read through the buffer one by one: copying a whole Indicator would retain every field.
            for index in 0..<scratch.count where scratch.fired[index] == .true {
                let multiplier = plan.multiplier[index]
                let points = scratch.points[index]
                fired.append(
                    FiredIndicator(
                        id: indicators[index].id, label: indicators[index].label, dimension: indicators[index].dimension,
                        points: points, basePoints: multiplier == 0 ? 0 : points / multiplier, multiplier: multiplier,
                        source: indicators[index].source,
                        evidence: indicators[index].evidence.map {
                            EvidenceItem(label: $0.label, value: $0.value(frame), sensitive: $0.sensitive)
                        }, sensitive: indicators[index].isSensitive))
            }
        }
        var caps: [AppliedRule] = []
        var levelAfterCaps = outcome.scoreLevel
        for index in kernel.caps.indices where scratch.ruleHeld[index] {
            let cap = rules.caps[index]
            let changed = cap.level < levelAfterCaps
            levelAfterCaps = min(levelAfterCaps, cap.level)
            caps.append(applied(cap, changed: changed))
        }
        var escalations: [AppliedRule] = []
        var levelAfterEscalations = levelAfterCaps
        for index in kernel.escalations.indices where scratch.ruleHeld[kernel.caps.count + index] {
            let escalation = rules.escalations[index]
            let changed = escalation.level > levelAfterEscalations
            levelAfterEscalations = max(levelAfterEscalations, escalation.level)
            escalations.append(applied(escalation, changed: changed))
        }
        let effects = plan.activeEffects.compactMap { effect -> AppliedEffect? in
            let touched = effect.indicatorIndices.filter { scratch.fired[$0] == .true }
            guard !touched.isEmpty else { return nil }
            return AppliedEffect(window: effect.window, factor: effect.factor, indicators: touched.map { rules.indicators[$0].id })
        }
        let level = rules.levels[outcome.level]
        return Assessment(
            studentID: record.id, asOf: plan.asOf, score: outcome.score, level: level.id, levelRank: level.rank,
            scoreLevel: rules.levels[outcome.scoreLevel].id, route: level.route, response: level.response,
            informParents: level.informParents, fired: fired, escalations: escalations, caps: caps, calendarEffects: effects)
    }

    private func applied(_ rule: LevelRule, changed: Bool) -> AppliedRule {
        AppliedRule(
            id: rule.id, kind: rule.kind, level: rules.levels[rule.level].id, reason: rule.reason, source: rule.source,
            changedLevel: changed, sensitive: rule.isSensitive)
    }
}
