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
        let conditions: [TruthFunction?]
        let fixedPoints: [Double]
        let bandValues: [NumberFunction?]
        let bands: [[Indicator.Band]]
        let protective: [Bool]
        let thresholds: [Double]
        let capConditions: [TruthFunction]
        let capLevels: [Int]
        let escalationConditions: [TruthFunction]
        let escalationLevels: [Int]

        init(rules: RuleSet) {
            conditions = rules.indicators.map { $0.condition?.run }
            fixedPoints = rules.indicators.map { if case .fixed(let value) = $0.points { value } else { .nan } }
            bandValues = rules.indicators.map { if case .banded(let program, _) = $0.points { program.run } else { nil } }
            bands = rules.indicators.map { if case .banded(_, let bands) = $0.points { bands } else { [] } }
            protective = rules.indicators.map(\.isProtective)
            thresholds = rules.levels.map(\.threshold)
            capConditions = rules.caps.map(\.condition.run)
            capLevels = rules.caps.map(\.level)
            escalationConditions = rules.escalations.map(\.condition.run)
            escalationLevels = rules.escalations.map(\.level)
        }
    }

    let kernel: Kernel

    /// Scores one record as of a date.
    public func assess(_ record: StudentRecord, asOf: CivilDate) -> Assessment {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        var scratch = Scratch(rules: rules)
        defer { scratch.deallocate() }
        return assess(record, plan: plan, scratch: &scratch)
    }

    /// Scores records as of a date on up to `threads` threads (all cores by default); results in input order.
    public func assess(_ records: [StudentRecord], asOf: CivilDate, threads: Int? = nil) -> [Assessment] {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        let count = records.count
        if count == 0 { return [] }
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, (count + 1023) / 1024))
        let chunk = (count + workers - 1) / workers
        return [Assessment](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UnsafeSendableBuffer(base: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var scratch = Scratch(rules: rules)
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
        let count: Int

        init(rules: RuleSet) {
            count = max(1, rules.indicators.count)
            fired = .allocate(capacity: count)
            points = .allocate(capacity: count)
        }

        func deallocate() {
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

    func evaluate(_ record: StudentRecord, plan: ScoringPlan, scratch: inout Scratch) -> (Outcome, EvalFrame) {
        scratch.fired.update(repeating: .false, count: scratch.count)
        scratch.points.update(repeating: 0, count: scratch.count)
        var frame = EvalFrame(record: record, day: plan.day, fired: scratch.fired, score: 0, scaleResult: nil)
        var score = 0.0
        let kernel = kernel
        for index in plan.order {
            if let condition = kernel.conditions[index], condition(frame) != .true { continue }
            var points = kernel.fixedPoints[index]
            if let bandValue = kernel.bandValues[index] {
                let value = bandValue(frame)
                guard !value.isNaN, let band = kernel.bands[index].last(where: { $0.from <= value }) else { continue }
                points = band.points
            }
            points *= plan.multiplier[index]
            if kernel.protective[index] { points = -points }
            scratch.fired[index] = .true
            scratch.points[index] = points
            score += points
        }
        frame.score = score
        var scoreLevel = 0
        for rank in kernel.thresholds.indices.dropFirst() where score >= kernel.thresholds[rank] { scoreLevel = rank }
        var level = scoreLevel
        for index in kernel.capConditions.indices where kernel.capConditions[index](frame) == .true {
            level = min(level, kernel.capLevels[index])
        }
        for index in kernel.escalationConditions.indices where kernel.escalationConditions[index](frame) == .true {
            level = max(level, kernel.escalationLevels[index])
        }
        return (Outcome(score: score, scoreLevel: scoreLevel, level: level), frame)
    }

    func assess(_ record: StudentRecord, plan: ScoringPlan, scratch: inout Scratch) -> Assessment {
        let (outcome, frame) = evaluate(record, plan: plan, scratch: &scratch)
        var fired: [FiredIndicator] = []
        for index in 0..<scratch.count where scratch.fired[index] == .true {
            let indicator = rules.indicators[index]
            let multiplier = plan.multiplier[index]
            let points = scratch.points[index]
            fired.append(
                FiredIndicator(
                    id: indicator.id, label: indicator.label, dimension: indicator.dimension, points: points,
                    basePoints: multiplier == 0 ? 0 : points / multiplier, multiplier: multiplier, source: indicator.source,
                    evidence: indicator.evidence.map {
                        EvidenceItem(label: $0.label, value: $0.value(frame), sensitive: $0.sensitive)
                    }))
        }
        var caps: [AppliedRule] = []
        var levelAfterCaps = outcome.scoreLevel
        for index in kernel.capConditions.indices where kernel.capConditions[index](frame) == .true {
            let cap = rules.caps[index]
            let changed = cap.level < levelAfterCaps
            levelAfterCaps = min(levelAfterCaps, cap.level)
            caps.append(applied(cap, changed: changed))
        }
        var escalations: [AppliedRule] = []
        var levelAfterEscalations = levelAfterCaps
        for index in kernel.escalationConditions.indices where kernel.escalationConditions[index](frame) == .true {
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
            changedLevel: changed)
    }
}

/// A buffer pointer handed to worker threads that write disjoint indices.
struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>?
}
