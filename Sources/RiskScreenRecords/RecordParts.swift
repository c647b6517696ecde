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
        /// Its class is still to be worked out, by class rules that read the record's fields, once they are all read.
        var classPending = false
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
    /// Some result's class waits for the record's fields (``classifyPendingResults(scales:)``).
    var hasPendingClasses = false
    /// Names the schema does not know that the record carried, left out as it was read (``UnknownNames/ignore``).
    var ignored: [IgnoredNames.Name] = []

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
        hasPendingClasses = false
        ignored.removeAll(keepingCapacity: true)
    }

    /// Adds one event.
    mutating func addEvent(kind: Int, day: Int32) {
        eventKinds.append(Int32(kind))
        eventDays.append(day)
    }

    /// Adds one administration of `scale` whose answers are already at the end of ``items`` from `itemsStart`
    /// (checked against the answer range): computes its scores and class. A class whose rules read the record's
    /// fields waits until they are all read, whatever the order of keys or columns
    /// (``classifyPendingResults(scales:)``).
    mutating func addResult(of scale: ScaleDefinition, day: Int32, itemsStart: Int) {
        withUnsafePointer(to: scale) { addResult(of: $0, day: day, itemsStart: itemsStart) }
    }

    /// ``addResult(of:day:itemsStart:)`` with the scale read in place (a value would be copied whole).
    mutating func addResult(of scale: UnsafePointer<ScaleDefinition>, day: Int32, itemsStart: Int) {
        let scoresStart = scores.count
        let itemCount = items.count - itemsStart
        scores.append(contentsOf: repeatElement(0, count: scale.pointee.scores.count))
        let pending = scale.pointee.classReadsFields
        let classIndex = items.withUnsafeBufferPointer { allItems in
            scores.withUnsafeMutableBufferPointer { allScores in
                let answers = UnsafeBufferPointer(rebasing: allItems[itemsStart...])
                let computed = UnsafeMutableBufferPointer(rebasing: allScores[scoresStart...])
                ScaleDefinition.computeScores(of: scale, items: answers, into: computed)
                return pending
                    ? -1
                    : ScaleDefinition.classify(
                        scale, scores: UnsafeBufferPointer(computed), items: answers, fields: nil)
            }
        }
        if pending { hasPendingClasses = true }
        results.append(
            Result(
                scale: Int32(scale.pointee.index), day: day, classIndex: classIndex, scoresStart: Int32(scoresStart),
                itemsStart: Int32(itemsStart), itemCount: Int32(itemCount), classPending: pending))
    }

    /// Works out the classes that wait for the record's fields, now that every field is read: the class rules of
    /// such a scale see the same fields whether a record lists them before or after its results.
    mutating func classifyPendingResults(scales: [ScaleDefinition]) {
        guard hasPendingClasses else { return }
        hasPendingClasses = false
        for index in results.indices where results[index].classPending {
            let result = results[index]
            guard Int(result.scale) < scales.count else { continue }
            let scale = scales[Int(result.scale)]
            let classIndex = scores.withUnsafeBufferPointer { allScores in
                items.withUnsafeBufferPointer { allItems in
                    values.withUnsafeBufferPointer { fields in
                        scale.classify(
                            scores: UnsafeBufferPointer(
                                rebasing: allScores[
                                    Int(result.scoresStart)..<(Int(result.scoresStart) + scale.scores.count)]),
                            items: UnsafeBufferPointer(
                                rebasing: allItems[Int(result.itemsStart)..<Int(result.itemsStart + result.itemCount)]),
                            fields: fields.baseAddress)
                    }
                }
            }
            results[index].classIndex = classIndex
            results[index].classPending = false
        }
    }

    /// Combines the results of one scale given on one day into one, so that what the rules see never depends on the
    /// order the results were read in (a record without such results is left as it is, without allocating):
    ///
    /// - items: for each item the worst answer among the results that give items: the highest, or for a
    ///   reverse-scored item the lowest (the one that counts most);
    /// - scores: computed from the combined items, and each the highest of that and the scores of the results given
    ///   without items (a score nobody gives stays missing);
    /// - class: the scale's class rules classify the combined scores and items; a class given by a result without
    ///   items also stands, and of the classes that stand the one whose class rule comes first wins (the rules are
    ///   written most serious first: the first that holds names the class), the `otherwise` class last.
    mutating func combineSameDayResults(scales: [ScaleDefinition]) {
        guard hasSameDayResults else { return }
        // Rare: group by scale and day (in the order first read, which the storage then sorts by day).
        var groups: [Int64: Int] = [:]
        var members: [[Result]] = []
        for result in results {
            let key = Self.key(result)
            if let group = groups[key] {
                members[group].append(result)
            } else {
                groups[key] = members.count
                members.append([result])
            }
        }
        results = members.map { group in
            let scale = Int(group[0].scale)
            return group.count == 1 || scale >= scales.count ? group[0] : combine(group, scales[scale])
        }
    }

    /// A result's scale and day as one number.
    private static func key(_ result: Result) -> Int64 {
        Int64(result.scale) << 32 | Int64(UInt32(bitPattern: result.day))
    }

    /// Whether two results of one scale share a day: compared pairwise for the few results a record usually has,
    /// through a set for many.
    private var hasSameDayResults: Bool {
        if results.count > 16 {
            var seen = Set<Int64>(minimumCapacity: results.count)
            for result in results where !seen.insert(Self.key(result)).inserted { return true }
            return false
        }
        for later in results.indices {
            for earlier in 0..<later
            where results[earlier].scale == results[later].scale && results[earlier].day == results[later].day {
                return true
            }
        }
        return false
    }

    /// One result standing for `group` (results of `scale` on one day), its scores and items appended.
    private mutating func combine(_ group: [Result], _ scale: ScaleDefinition) -> Result {
        let withItems = group.filter { $0.itemCount > 0 }
        var answers: [Double] = []
        if let count = withItems.map(\.itemCount).min() {
            for item in 0..<Int(count) {
                let given = withItems.map { items[Int($0.itemsStart) + item] }
                answers.append(
                    (scale.reversedItems.contains(item) ? given.min() : given.max()) ?? .nan)
            }
        }
        var combinedScores =
            answers.isEmpty ? [Double](repeating: .nan, count: scale.scores.count) : scale.computeScores(items: answers)
        var givenClasses: [Int32] = []
        for result in group where result.itemCount == 0 {
            for index in combinedScores.indices {
                let given = scores[Int(result.scoresStart) + index]
                if given.isNaN { continue }
                combinedScores[index] = combinedScores[index].isNaN ? given : max(combinedScores[index], given)
            }
            if result.classIndex >= 0 { givenClasses.append(result.classIndex) }
        }
        let classified = scale.classify(scores: combinedScores, items: answers, fields: values)
        let candidates = (classified >= 0 ? [classified] : []) + givenClasses
        let classIndex = candidates.min { scale.classPrecedence(Int($0)) < scale.classPrecedence(Int($1)) } ?? -1
        let result = Result(
            scale: Int32(scale.index), day: group[0].day, classIndex: classIndex, scoresStart: Int32(scores.count),
            itemsStart: Int32(items.count), itemCount: Int32(answers.count))
        scores.append(contentsOf: combinedScores)
        items.append(contentsOf: answers)
        return result
    }

    /// Adds one administration whose scores and class are already known (a reader that computed them itself), or
    /// whose class waits for the record's fields (`classPending`: see ``classifyPendingResults(scales:)``).
    mutating func addResult(
        scale: Int, day: Int32, scores resultScores: [Double], items resultItems: [Double], classIndex: Int32,
        classPending: Bool = false
    ) {
        if classPending { hasPendingClasses = true }
        results.append(
            Result(
                scale: Int32(scale), day: day, classIndex: classIndex, scoresStart: Int32(scores.count),
                itemsStart: Int32(items.count), itemCount: Int32(resultItems.count), classPending: classPending))
        scores.append(contentsOf: resultScores)
        items.append(contentsOf: resultItems)
    }
}
