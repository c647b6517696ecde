public import RiskScreenSupport

/// A psychological scale instrument and how its raw item answers are scored, as the rule file defines it.
public struct ScaleDefinition: Sendable {
    /// How one named score is computed from the item answers.
    public struct Score: Sendable {
        /// How the selected items are combined.
        /// Frozen: a closed set (the aggregates a scale score may use); a new case comes only with a new major version of the library.
        public enum Aggregate: Sendable, Hashable {
            /// The sum of the answers.
            case sum
            /// The mean of the answers.
            case mean
            /// How many answers are at or above a value.
            case countAtLeast(Double)
        }

        /// The score's name, used as `latest(scale).name` in conditions.
        public var name: String
        /// How items are combined.
        public var aggregate: Aggregate
        /// The 0-based indices of the items taken, after exclusions.
        public var items: [Int]
        /// Chinese and English labels.
        public var label: Label
    }

    /// One rule of classification: the first whose condition holds names the class.
    struct ClassRule: Sendable {
        var classIndex: Int
        var condition: TruthProgram
    }

    /// The scale's name in records and conditions.
    public var name: String
    /// Its index in `StudentRecord`'s scale lists.
    package var index: Int
    /// Chinese and English labels.
    public var label: Label
    /// How many items the scale has; records number them from 1.
    public var itemCount: Int
    /// The smallest valid answer.
    public var minimumAnswer: Double
    /// The largest valid answer.
    public var maximumAnswer: Double
    /// The 0-based indices of reverse-scored items (answer becomes min + max − answer).
    public var reversedItems: Set<Int>
    /// The named scores.
    public var scores: [Score]
    /// The class names, in the order declared.
    public var classNames: [String]
    /// The class given when no rule holds, if any.
    var otherwiseClass: Int?
    var classRules: [ClassRule]
    /// Shown only to the roles allowed to see sensitive facts.
    public var sensitive: Bool
    /// Whether a class rule reads a field of the record: the class is then worked out once the whole record is
    /// read (``classify(scores:items:fields:)`` needs its fields).
    package var classReadsFields = false
    /// Where it was declared.
    public var location: SourceLocation

    /// The index of a score by name.
    package func scoreIndex(_ name: String) -> Int? { scores.firstIndex { $0.name == name } }

    /// The values a score can take when it is computed from valid answers: a result that gives the score without
    /// its items must lie within it.
    package func range(ofScore index: Int) -> ClosedRange<Double> {
        let score = scores[index]
        let count = Double(score.items.count)
        switch score.aggregate {
        case .sum: return count * minimumAnswer...count * maximumAnswer
        case .mean: return minimumAnswer...maximumAnswer
        case .countAtLeast: return 0...count
        }
    }

    /// Computes every score from item answers already checked against the answer range.
    package func computeScores(items answers: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: scores.count)
        answers.withUnsafeBufferPointer { answers in
            result.withUnsafeMutableBufferPointer { computeScores(items: answers, into: $0) }
        }
        return result
    }

    /// Computes every score from item answers already checked against the answer range into `output` (one place
    /// per score), without allocating.
    package func computeScores(
        items answers: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>
    ) {
        withUnsafePointer(to: self) { Self.computeScores(of: $0, items: answers, into: output) }
    }

    /// ``computeScores(items:into:)`` of a scale read in place: a method called on `pointer.pointee` copies the whole
    /// definition (and retains each of its arrays) for the call, once per administration read.
    package static func computeScores(
        of scale: UnsafePointer<ScaleDefinition>, items answers: UnsafeBufferPointer<Double>,
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        let low = scale.pointee.minimumAnswer
        let high = scale.pointee.maximumAnswer
        let reversed = scale.pointee.reversedItems
        @inline(__always) func answer(_ index: Int) -> Double {
            let value = answers[index]
            return reversed.isEmpty || !reversed.contains(index) ? value : low + high - value
        }
        for (position, score) in scale.pointee.scores.enumerated() {
            switch score.aggregate {
            case .sum:
                output[position] = score.items.reduce(0.0) { $0 + answer($1) }
            case .mean:
                output[position] =
                    score.items.isEmpty ? .nan : score.items.reduce(0.0) { $0 + answer($1) } / Double(score.items.count)
            case .countAtLeast(let threshold):
                output[position] = Double(score.items.count { answer($0) >= threshold })
            }
        }
    }

    /// Where a class stands when two classes compete (results of one day combined): the position of the first class
    /// rule naming it (rules are written most serious first), then the `otherwise` class, then a class no rule names.
    package func classPrecedence(_ classIndex: Int) -> Int {
        if let position = classRules.firstIndex(where: { $0.classIndex == classIndex }) { return position }
        return classIndex == otherwiseClass ? classRules.count : classRules.count + 1
    }

    /// The class of one administration, or -1 when a rule cannot be decided for lack of data. `fields` are the
    /// record's values by slot (every slot of the schema), needed when ``classReadsFields``: without them such a
    /// scale's class is -1.
    package func classify(scores: [Double], items: [Double], fields: [Double]? = nil) -> Int32 {
        scores.withUnsafeBufferPointer { scores in
            items.withUnsafeBufferPointer { items in
                guard let fields else { return classify(scores: scores, items: items, fields: nil) }
                return fields.withUnsafeBufferPointer { classify(scores: scores, items: items, fields: $0.baseAddress) }
            }
        }
    }

    /// The class of one administration from its scores and items in place, and the record's fields (every slot of
    /// the schema) when its class rules read them.
    package func classify(
        scores: UnsafeBufferPointer<Double>, items: UnsafeBufferPointer<Double>, fields: UnsafePointer<Double>?
    ) -> Int32 {
        withUnsafePointer(to: self) { Self.classify($0, scores: scores, items: items, fields: fields) }
    }

    /// ``classify(scores:items:fields:)`` of a scale read in place (a method called on `pointer.pointee` copies the
    /// whole definition for the call).
    package static func classify(
        _ scale: UnsafePointer<ScaleDefinition>, scores: UnsafeBufferPointer<Double>,
        items: UnsafeBufferPointer<Double>,
        fields: UnsafePointer<Double>?
    ) -> Int32 {
        // A rule that reads a field cannot be decided without the record's fields.
        if scale.pointee.classReadsFields && fields == nil { return -1 }
        let otherwise = Int32(scale.pointee.otherwiseClass ?? -1)
        return EvalFrame.withScaleFrame(scores: scores, items: items, fields: fields) { frame in
            // Rules read in place: a copy of each would retain its program's arrays, per administration.
            scale.pointee.classRules.withUnsafeBufferPointer { rules in
                guard let first = rules.baseAddress else { return otherwise }
                for index in rules.indices {
                    // Through a pointer: `rules[index]` passed the rule on as a copy.
                    let rule = first + index
                    switch rule.pointee.condition.code.truth(frame) {
                    case .true: return Int32(rule.pointee.classIndex)
                    case .unknown: return -1
                    case .false: continue
                    }
                }
                return otherwise
            }
        }
    }
}
