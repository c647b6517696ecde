internal import RiskScreenSupport

/// What a compiled condition reads while one record is scored: plain pointers and numbers only, so reading
/// it costs no reference counting.
package struct EvalFrame {
    package var values: UnsafePointer<Double>
    var eventDays: UnsafePointer<Int32>
    var eventStart: UnsafePointer<Int32>
    var scaleEntries: UnsafePointer<ScaleEntry>
    var scaleStart: UnsafePointer<Int32>
    var scaleScores: UnsafePointer<Double>
    var scaleItems: UnsafePointer<Double>
    var asOf: Int32
    var asOfAcademicYear: Int
    var windowActive: UnsafePointer<Bool>
    /// Which indicators fired, filled in dependency order while the record is scored: indicator i is bit i % 64
    /// of word i / 64, so a set of indicators is tested with masks.
    var firedBits: UnsafeMutablePointer<UInt64>
    /// Each indicator's points after calendar multipliers (negative for a protective factor), valid where its fired
    /// bit is set: for `points()`, `max_points()` and `sum_points()` in escalations, caps and duties. Nil outside the
    /// engine's scoring loop, where those read 0.
    package var points: UnsafePointer<Double>?
    /// The score so far (for escalations and caps).
    package var score: Double
    /// The record's fields by slot. In a class rule or a condition on one scale result, ``values`` holds the scale's
    /// scores and this the record's fields (read by ``Instruction/Operation/fieldSlot``); elsewhere both are the same.
    var fields: UnsafePointer<Double>
    /// Days in a window of `m` calendar months as of ``asOf``, by `m` (below ``monthWindowCount``): worked out once per
    /// scoring call by the engine; nil elsewhere (``EventQueries/window(_:_:)`` then works them out itself).
    package var monthWindowDays: UnsafePointer<Int32>?
    package var monthWindowCount = 0
    /// `study_year()` worked out once for the record (NaN when its enrolment date is missing), or -∞ when not
    /// worked out (the condition then works it out itself).
    package var studyYear: Double

    package init(
        values: UnsafePointer<Double>, eventDays: UnsafePointer<Int32>, eventStart: UnsafePointer<Int32>,
        scaleEntries: UnsafePointer<ScaleEntry>, scaleStart: UnsafePointer<Int32>, scaleScores: UnsafePointer<Double>,
        scaleItems: UnsafePointer<Double>, asOf: Int32, asOfAcademicYear: Int, windowActive: UnsafePointer<Bool>,
        firedBits: UnsafeMutablePointer<UInt64>, points: UnsafePointer<Double>? = nil
    ) {
        self.values = values
        self.eventDays = eventDays
        self.eventStart = eventStart
        self.scaleEntries = scaleEntries
        self.scaleStart = scaleStart
        self.scaleScores = scaleScores
        self.scaleItems = scaleItems
        self.asOf = asOf
        self.asOfAcademicYear = asOfAcademicYear
        self.windowActive = windowActive
        self.firedBits = firedBits
        self.points = points
        fields = values
        score = 0
        studyYear = -.infinity
    }

    /// Whether indicator `index` fired.
    @inline(__always)
    package func didFire(_ index: Int) -> Bool { firedBits[index >> 6] & (1 << UInt64(index & 63)) != 0 }
}

/// Compiled expressions read the frame through a pointer: a trivial argument, so a call retains nothing.
package typealias FramePointer = UnsafePointer<EvalFrame>

/// A compiled condition with its source text.
package struct TruthProgram: Sendable {
    package var code: ExpressionCode
    var text: String
    var location: SourceLocation
    /// The constant value when the condition reads nothing from the record.
    var constant: Truth?

    /// The condition's truth on a frame.
    package func run(_ frame: FramePointer) -> Truth { code.truth(frame) }
}

extension EvalFrame {
    /// Runs `body` on a frame that holds one scale administration: its scores as values, its items as scale items,
    /// and the record's fields (as many as the schema has slots) when its class rules read them.
    /// Everything lives on the stack for the call: classifying allocates nothing.
    static func withScaleFrame<T>(
        scores scoreBuffer: UnsafeBufferPointer<Double>, items itemBuffer: UnsafeBufferPointer<Double>,
        fields: UnsafePointer<Double>?, _ body: (FramePointer) -> T
    ) -> T {
        var entry = ScaleEntry(
            day: 0, classIndex: -1, scoresOffset: 0, itemsOffset: 0, itemCount: Int32(itemBuffer.count))
        var bounds: (Int32, Int32) = (0, 1)
        var firedBits: UInt64 = 0
        var window = false
        var zero = 0.0
        var noEvents: Int32 = 0
        return withUnsafeMutablePointer(to: &zero) { zero in
            withUnsafeMutablePointer(to: &noEvents) { noEvents in
                withUnsafeMutablePointer(to: &entry) { entry in
                    withUnsafeMutablePointer(to: &bounds) { bounds in
                        withUnsafeMutablePointer(to: &window) { window in
                            withUnsafeMutablePointer(to: &firedBits) { firedBits in
                                let start = UnsafeRawPointer(bounds).assumingMemoryBound(to: Int32.self)
                                var frame = EvalFrame(
                                    values: scoreBuffer.baseAddress ?? UnsafePointer(zero), eventDays: noEvents,
                                    eventStart: noEvents, scaleEntries: entry, scaleStart: start,
                                    scaleScores: UnsafePointer(zero),
                                    scaleItems: itemBuffer.baseAddress ?? UnsafePointer(zero),
                                    asOf: 0, asOfAcademicYear: 0, windowActive: window, firedBits: firedBits)
                                frame.fields = fields ?? UnsafePointer(zero)
                                return withUnsafePointer(to: &frame) { body($0) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A compiled numeric expression with its source text.
package struct NumberProgram: Sendable {
    package var code: ExpressionCode
    /// The expression as written.
    package var text: String
    var location: SourceLocation
    package var kind: ValueKind

    /// The value on a frame (NaN when missing).
    package func run(_ frame: FramePointer) -> Double { code.evaluate(frame) }
}

/// A piece of evidence compiled: its value is worked out when the indicator fires (a number, as the code leaves it)
/// and written out as text only when the assessment is read.
package struct EvidenceProgram: Sendable {
    var code: ExpressionCode
    /// The kind of number it gives; nil for a truth.
    var kind: ValueKind?

    /// The value for a record.
    package func value(_ frame: FramePointer) -> Double { code.evaluate(frame) }

    /// The value as it is shown: a number, a date, an enumeration's name, `missing`; yes, no or unknown for a truth.
    package func format(_ value: Double) -> String {
        guard let kind else {
            switch Truth(encoded: value) {
            case .true: return "yes"
            case .false: return "no"
            case .unknown: return "unknown"
            }
        }
        return kind.format(value)
    }
}

/// How a number is read back to a person: a plain number, a date, or an enumeration's value.
package enum ValueKind: Sendable, Equatable {
    case number
    case integer
    case date
    case boolean
    /// A value of an enumeration, by its index; `ordered` for a rating, whose values rank as listed.
    case enumeration([String], ordered: Bool = false)

    /// True for plain numbers (integer or not), which compare and add with each other.
    var isNumeric: Bool { self == .number || self == .integer }

    package func format(_ value: Double) -> String {
        if value.isNaN { return "missing" }
        switch self {
        case .number:
            return NumberText.format((value * 100).rounded() / 100)
        case .integer:
            return NumberText.format(value)
        case .date:
            return CivilDate(dayNumber: Int(value)).description
        case .boolean:
            return value != 0 ? "true" : "false"
        case .enumeration(let names, _):
            let index = Int(value)
            return index >= 0 && index < names.count ? names[index] : "missing"
        }
    }
}
