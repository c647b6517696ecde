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

    /// The rule set flattened into arrays of plain values and closures, so the scoring loop copies no rule structs.
    struct Kernel: Sendable {
        // Programs (structs holding the closures), not bare closures: a closure stored in a generic array is
        // kept at maximal abstraction and every call would go through a conversion thunk.
        let conditions: [TruthProgram?]
        let fixedPoints: [Double]
        let bandValues: [NumberProgram?]
        let bands: [[Indicator.Band]]
        let protective: [Bool]
        let thresholds: [Double]
        let capConditions: [TruthProgram]
        let capLevels: [Int]
        let escalationConditions: [TruthProgram]
        let escalationLevels: [Int]

        init(rules: RuleSet) {
            conditions = rules.indicators.map(\.condition)
            fixedPoints = rules.indicators.map { if case .fixed(let value) = $0.points { value } else { .nan } }
            bandValues = rules.indicators.map { if case .banded(let program, _) = $0.points { program } else { nil } }
            bands = rules.indicators.map { if case .banded(_, let bands) = $0.points { bands } else { [] } }
            protective = rules.indicators.map(\.isProtective)
            thresholds = rules.levels.map(\.threshold)
            capConditions = rules.caps.map(\.condition)
            capLevels = rules.caps.map(\.level)
            escalationConditions = rules.escalations.map(\.condition)
            escalationLevels = rules.escalations.map(\.level)
        }
    }

    let kernel: Kernel

    /// The rules for one as-of date as a chain of closures, each calling the next: a call through a captured
    /// closure needs no reference counting, where one loaded from an array does.
    struct Pipeline {
        typealias IndicatorStep = (FramePointer, UnsafeMutablePointer<Double>, inout Double) -> Void
        typealias LevelStep = (FramePointer, Int) -> Int

        /// Evaluates the indicators in force, in dependency order: marks fired ones, stores their points, adds to the score.
        let indicators: IndicatorStep
        /// Applies the caps, then the escalations, to the level the score gives, noting in `held` (caps first,
        /// then escalations) which conditions held, so an assessment need not evaluate them again.
        let levelRules: LevelStep

        init(kernel: Kernel, plan: ScoringPlan, held: UnsafeMutablePointer<Bool>) {
            var chain: IndicatorStep = { _, _, _ in }
            for index in plan.order.reversed() {
                let next = chain
                let condition = kernel.conditions[index]?.run
                let factor = plan.multiplier[index] * (kernel.protective[index] ? -1 : 1)
                if let bandValue = kernel.bandValues[index]?.run {
                    let froms = kernel.bands[index].map(\.from)
                    let bandPoints = kernel.bands[index].map { $0.points * factor }
                    chain = { frame, points, score in
                        if condition.map({ $0(frame) == .true }) ?? true {
                            let value = bandValue(frame)
                            if !value.isNaN, let band = froms.lastIndex(where: { $0 <= value }) {
                                frame.pointee.fired[index] = .true
                                points[index] = bandPoints[band]
                                score += bandPoints[band]
                            }
                        }
                        next(frame, points, &score)
                    }
                } else if let condition {
                    let fixed = kernel.fixedPoints[index] * factor
                    chain = { frame, points, score in
                        if condition(frame) == .true {
                            frame.pointee.fired[index] = .true
                            points[index] = fixed
                            score += fixed
                        }
                        next(frame, points, &score)
                    }
                } else {
                    let fixed = kernel.fixedPoints[index] * factor
                    chain = { frame, points, score in
                        frame.pointee.fired[index] = .true
                        points[index] = fixed
                        score += fixed
                        next(frame, points, &score)
                    }
                }
            }
            indicators = chain
            var levelChain: LevelStep = { _, level in level }
            for index in kernel.escalationConditions.indices.reversed() {
                let next = levelChain
                let condition = kernel.escalationConditions[index].run
                let floor = kernel.escalationLevels[index]
                let slot = kernel.capConditions.count + index
                levelChain = { frame, level in
                    let holds = condition(frame) == .true
                    held[slot] = holds
                    return next(frame, holds ? max(level, floor) : level)
                }
            }
            for index in kernel.capConditions.indices.reversed() {
                let next = levelChain
                let condition = kernel.capConditions[index].run
                let ceiling = kernel.capLevels[index]
                levelChain = { frame, level in
                    let holds = condition(frame) == .true
                    held[index] = holds
                    return next(frame, holds ? min(level, ceiling) : level)
                }
            }
            levelRules = levelChain
        }
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

    /// Per-thread working memory, allocated once per batch slice, so the scoring loop allocates nothing for it.
    struct Scratch {
        let fired: UnsafeMutablePointer<Truth>
        let points: UnsafeMutablePointer<Double>
        let windowActive: UnsafeMutablePointer<Bool>
        /// Whether each cap, then each escalation, held for the record being scored.
        let ruleHeld: UnsafeMutablePointer<Bool>
        /// The frame of the record being scored, set by ``ScoringEngine/evaluate(_:plan:scratch:)``.
        let frame: UnsafeMutablePointer<EvalFrame>
        let count: Int
        let asOf: Int32
        let asOfAcademicYear: Int
        /// This thread's own chain of compiled steps, so no two threads touch the same closure contexts.
        let pipeline: Pipeline

        init(rules: RuleSet, plan: ScoringPlan, kernel: Kernel) {
            ruleHeld = .allocate(capacity: max(1, kernel.capConditions.count + kernel.escalationConditions.count))
            pipeline = Pipeline(kernel: kernel, plan: plan, held: ruleHeld)
            count = max(1, rules.indicators.count)
            fired = .allocate(capacity: count)
            points = .allocate(capacity: count)
            windowActive = .allocate(capacity: max(1, plan.day.windowActive.count))
            windowActive.initialize(from: plan.day.windowActive, count: plan.day.windowActive.count)
            frame = .allocate(capacity: 1)
            asOf = plan.day.asOf
            asOfAcademicYear = plan.asOfAcademicYear
        }

        func deallocate() {
            frame.deallocate()
            ruleHeld.deallocate()
            windowActive.deallocate()
            fired.deallocate()
            points.deallocate()
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
        scratch.points.update(repeating: 0, count: scratch.count)
        // The frame points into the record's storage, which `record` keeps alive for the whole call.
        scratch.frame.initialize(
            to: EvalFrame(
                storage: record.storage, asOf: scratch.asOf, asOfAcademicYear: scratch.asOfAcademicYear,
                windowActive: scratch.windowActive, fired: scratch.fired))
        let frame = UnsafePointer(scratch.frame)
        var score = 0.0
        scratch.pipeline.indicators(frame, scratch.points, &score)
        scratch.frame.pointee.score = score
        var scoreLevel = 0
        for rank in kernel.thresholds.indices.dropFirst() where score >= kernel.thresholds[rank] { scoreLevel = rank }
        let level = scratch.pipeline.levelRules(frame, scoreLevel)
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
        for index in kernel.capConditions.indices where scratch.ruleHeld[index] {
            let cap = rules.caps[index]
            let changed = cap.level < levelAfterCaps
            levelAfterCaps = min(levelAfterCaps, cap.level)
            caps.append(applied(cap, changed: changed))
        }
        var escalations: [AppliedRule] = []
        var levelAfterEscalations = levelAfterCaps
        for index in kernel.escalationConditions.indices where scratch.ruleHeld[kernel.capConditions.count + index] {
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
