public import RiskScreenRecords
public import RiskScreenRules

/// An indicator that did not fire for a student, and how close it came.
///
/// Kept honest and simple: no distance is guessed from inside a condition. An indicator is listed only when
/// something definite can be said of it — its condition held but it lay outside its calendar window or below its
/// first band, or its condition could not be decided because a value it needs is missing. Indicators whose
/// condition was plainly false are not listed.
public struct NearMiss: Sendable, Hashable, CustomStringConvertible {
    /// Why the indicator did not fire, closest first.
    /// Frozen: a closed set (the reasons an indicator misses); a new case comes only with a new major version of the library.
    public enum Reason: Sendable, Hashable {
        /// The condition holds, but the indicator applies only inside these windows and none is in force.
        case outsideWindow([String])
        /// The condition holds, but the banded value is below the first band (or missing).
        case belowFirstBand(value: String, firstBand: Double)
        /// The condition is unknown: a field, event or scale result it reads is missing from the record.
        case unknown

        var rank: Int {
            switch self {
            case .outsideWindow: return 0
            case .belowFirstBand: return 1
            case .unknown: return 2
            }
        }
    }

    /// The indicator's id.
    public let indicatorID: String
    /// Its labels.
    public let label: Label
    /// The most points it could have given.
    public let maximumPoints: Double
    /// Its condition, as written.
    public let condition: String?
    /// True for a red flag, which usually drives an escalation whatever its points.
    public let isRedFlag: Bool
    /// Why it did not fire.
    public let reason: Reason

    /// One line for a counsellor.
    public var description: String {
        let points = AssessmentFormatting.signed(maximumPoints)
        // Points from a value without max: have no most.
        let most = maximumPoints.isFinite ? "up to \(points)" : "points from a value"
        let head = "\(indicatorID) \(label) (\(isRedFlag ? "red flag, " : "")\(most))"
        switch reason {
        case .outsideWindow(let windows):
            return "\(head): condition holds, but it counts only during \(windows.joined(separator: " or "))"
        case .belowFirstBand(let value, let firstBand):
            return
                "\(head): condition holds; value \(value) is below the first band (\(AssessmentFormatting.number(firstBand)))"
        case .unknown:
            return
                "\(head): unknown for lack of data — \(condition ?? "its value") needs a value the record does not have"
        }
    }
}

extension ScoringEngine {
    /// The risk indicators that did not fire for a record, closest to firing first (see ``NearMiss``).
    ///
    /// Protective factors, display-only indicators (they change no outcome) and indicators switched off by a layer are
    /// left out. For an audience that may not see sensitive facts (the default), no sensitive indicator is listed,
    /// fired or not (`Redaction`): the list tells nothing of one.
    public func nearMisses(_ record: StudentRecord, asOf: CivilDate, for audience: Audience = .leastPrivileged)
        -> [NearMiss]
    {
        let plan = ScoringPlan(rules: rules, asOf: asOf)
        var scratch = Scratch(rules: rules, plan: plan, kernel: kernel, width: 1)
        evaluate([record][...], scratch: &scratch)
        return nearMisses(scored: scratch, plan: plan, redaction: Redaction(for: audience))
    }

    /// The near misses of the record just scored in `scratch` (see ``nearMisses(_:asOf:for:)``); the frame
    /// points into the scratch, which is borrowed for the whole call.
    private func nearMisses(scored scratch: borrowing Scratch, plan: ScoringPlan, redaction: Redaction)
        -> [NearMiss]
    {
        let frame = UnsafePointer(scratch.frames)
        let inPlan = Set(plan.order)
        var misses: [NearMiss] = []
        for indicator in rules.indicators
        where indicator.isEnabled && !indicator.isProtective && !indicator.isDisplayOnly {
            if redaction.hides(indicator) { continue }
            if frame.pointee.didFire(indicator.index) { continue }
            let holds = indicator.condition?.run(frame) ?? .true
            var reason: NearMiss.Reason?
            var condition = indicator.conditionText
            switch holds {
            case .false:
                reason = nil
            case .unknown:
                reason = .unknown
            case .true:
                if !inPlan.contains(indicator.index) {
                    reason = .outsideWindow(indicator.windows)
                } else if case .banded(let program, let bands) = indicator.points, let first = bands.first {
                    let value = program.run(frame)
                    reason = .belowFirstBand(value: program.kind.format(value), firstBand: first.from)
                } else if case .value(let program, _, _) = indicator.points, program.run(frame).isNaN {
                    // The condition holds (or there is none), but the value its points come from is missing.
                    reason = .unknown
                    condition = program.text
                }
            }
            guard let reason else { continue }
            misses.append(
                NearMiss(
                    indicatorID: indicator.id, label: indicator.label, maximumPoints: indicator.maximumPoints,
                    condition: condition, isRedFlag: indicator.dimension.isRedFlag, reason: reason))
        }
        return misses.enumerated().sorted { a, b in
            if a.element.reason.rank != b.element.reason.rank { return a.element.reason.rank < b.element.reason.rank }
            if a.element.isRedFlag != b.element.isRedFlag { return a.element.isRedFlag }
            if a.element.maximumPoints != b.element.maximumPoints {
                return a.element.maximumPoints > b.element.maximumPoints
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
