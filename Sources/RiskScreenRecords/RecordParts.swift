internal import RiskScreenRules

/// A record being assembled by a reader: values, texts, events and scale results in flat arrays that are emptied,
/// not freed, between records, so reading a file allocates only what each finished record keeps.
struct RecordParts {
    /// One scale administration: where its scores and items lie in ``scores`` and ``items``.
    struct Result {
        var scale: Int32
        var day: Int32
        var classIndex: Int32
        var scoresStart: Int32
        var itemsStart: Int32
        var itemCount: Int32
    }

    /// Numeric slots; NaN when missing.
    var values: [Double] = []
    /// Text slots.
    var texts: [String?] = []
    /// The kind of each event, in the order read.
    var eventKinds: [Int32] = []
    /// The day of each event, beside its kind.
    var eventDays: [Int32] = []
    /// Scale administrations, in the order read.
    var results: [Result] = []
    /// Every administration's scores, one after another (each scale has a fixed number).
    var scores: [Double] = []
    /// Every administration's item answers, one after another.
    var items: [Double] = []

    /// Empties the parts for the next record of `schema`, keeping their memory.
    mutating func reset(for schema: Schema) {
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(.nan, count: schema.valueSlotCount))
        texts.removeAll(keepingCapacity: true)
        texts.append(contentsOf: repeatElement(nil, count: schema.textSlotCount))
        eventKinds.removeAll(keepingCapacity: true)
        eventDays.removeAll(keepingCapacity: true)
        results.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }

    /// Adds one event.
    mutating func addEvent(kind: Int, day: Int32) {
        eventKinds.append(Int32(kind))
        eventDays.append(day)
    }

    /// Adds one administration of `scale` whose answers are already at the end of ``items`` from `itemsStart`
    /// (checked against the answer range): computes its scores and class.
    mutating func addResult(of scale: ScaleDefinition, day: Int32, itemsStart: Int) {
        let scoresStart = scores.count
        let itemCount = items.count - itemsStart
        scores.append(contentsOf: repeatElement(0, count: scale.scores.count))
        let classIndex = items.withUnsafeBufferPointer { allItems in
            scores.withUnsafeMutableBufferPointer { allScores in
                let answers = UnsafeBufferPointer(rebasing: allItems[itemsStart...])
                let computed = UnsafeMutableBufferPointer(rebasing: allScores[scoresStart...])
                scale.computeScores(items: answers, into: computed)
                return scale.classify(scores: UnsafeBufferPointer(computed), items: answers)
            }
        }
        results.append(
            Result(
                scale: Int32(scale.index), day: day, classIndex: classIndex, scoresStart: Int32(scoresStart),
                itemsStart: Int32(itemsStart), itemCount: Int32(itemCount)))
    }

    /// Adds one administration whose scores and class are already known (a reader that computed them itself).
    mutating func addResult(
        scale: Int, day: Int32, scores resultScores: [Double], items resultItems: [Double], classIndex: Int32
    ) {
        results.append(
            Result(
                scale: Int32(scale), day: day, classIndex: classIndex, scoresStart: Int32(scores.count),
                itemsStart: Int32(items.count), itemCount: Int32(resultItems.count)))
        scores.append(contentsOf: resultScores)
        items.append(contentsOf: resultItems)
    }
}
