package import RiskScreenRules

extension StudentRecord {
    /// The first way this record differs from `other` (both of `schema`) in what scoring reads, as a sentence; nil when
    /// they hold the same id, texts, values (bit for bit), events and scale results. Where a record was read from is not compared.
    ///
    /// Two readers of the same input (the JSON Lines fast and careful paths) must give records with no difference.
    package func difference(from other: StudentRecord, schema: Schema) -> String? {
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
        if id != other.id { return "the id is \(id) in one and \(other.id) in the other" }
        if texts != other.texts { return "the texts are \(texts) in one and \(other.texts) in the other" }
        if storage.valueCount != other.storage.valueCount {
            return "one has \(storage.valueCount) values and the other \(other.storage.valueCount)"
        }
        for slot in 0..<storage.valueCount where !same(storage.values[slot], other.storage.values[slot]) {
            return "value slot \(slot) is \(storage.values[slot]) in one and \(other.storage.values[slot]) in the other"
        }
        for kind in schema.eventKinds.indices where eventDays(kindIndex: kind) != other.eventDays(kindIndex: kind) {
            return
                "the \(schema.eventKinds[kind].name) events are on days \(Array(eventDays(kindIndex: kind))) in one and "
                + "\(Array(other.eventDays(kindIndex: kind))) in the other"
        }
        for scale in schema.scales {
            let mine = scaleEntries(scaleIndex: scale.index)
            let theirs = other.scaleEntries(scaleIndex: scale.index)
            guard mine.count == theirs.count else {
                return "one has \(mine.count) results of \(scale.name) and the other \(theirs.count)"
            }
            for (a, b) in zip(mine, theirs) {
                let scoresA = (0..<scale.scores.count).map { storage.scaleScores[Int(a.scoresOffset) + $0] }
                let scoresB = (0..<scale.scores.count).map { other.storage.scaleScores[Int(b.scoresOffset) + $0] }
                let itemsA = (0..<Int(a.itemCount)).map { storage.scaleItems[Int(a.itemsOffset) + $0] }
                let itemsB = (0..<Int(b.itemCount)).map { other.storage.scaleItems[Int(b.itemsOffset) + $0] }
                if a.day != b.day || a.classIndex != b.classIndex || itemsA.count != itemsB.count
                    || !zip(scoresA, scoresB).allSatisfy(same) || !zip(itemsA, itemsB).allSatisfy(same)
                {
                    return
                        "a result of \(scale.name) is day \(a.day), class \(a.classIndex), scores \(scoresA), items \(itemsA) "
                        + "in one and day \(b.day), class \(b.classIndex), scores \(scoresB), items \(itemsB) in the other"
                }
            }
        }
        return nil
    }
}
