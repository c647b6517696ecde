public import RiskScreenRecords
public import RiskScreenRules
@_spi(RiskScreenStorage) internal import RiskScreenSupport

extension BatchSummary {
    /// Gathers a summary a part of the batch at a time, so that a batch read and scored in chunks never needs all its
    /// records or assessments at once: it keeps the counts per group and, for each student on the attention list, only
    /// what the list shows.
    ///
    /// Add the parts in any order with the position of their first record in the whole batch; the summary is the same
    /// as ``BatchSummary/init(rules:records:assessments:rejected:attentionFrom:collegeField:classFields:for:)`` over
    /// the whole batch at once.
    public struct Builder: Sendable {
        let rules: RuleSet
        let audience: Audience
        let attentionFrom: Int
        let college: Schema.Field?
        let className: Schema.Field?
        /// The first group with each hash of its texts' keys (``groupHash(college:className:)``), and after each group
        /// the next one with its hash (-1 for none): a student's group is found from the keys its record keeps, without
        /// hashing its texts as `String`s (which hash a normalized form).
        var firstGroupWithHash: [UInt64: Int] = [:]
        var nextGroupWithHash: [Int] = []
        var keys: [GroupKey] = []
        /// `counts[group * levels + level]`, one run of levels per group: a group new to a part of a chunk (nearly
        /// every student's, in a part of a few hundred) allocated an array of its own.
        var counts: [Int] = []
        var totals: [Int]
        var scoreTally: ScoreTally
        var attention = BlockColumn<PendingEntry>()
        /// Entries replaced after they were added (``replace(_:record:was:now:)``), by position in the batch: where
        /// the new entry is in ``replacements``, or -1 when the student is no longer on the list. A number per
        /// student, not an entry: a cohort rule may replace hundreds of thousands.
        var replaced: [Int: Int32] = [:]
        /// The entries that replaced others; one no longer pointed to by ``replaced`` is not shown.
        var replacements = BlockColumn<PendingEntry>()
        /// Entries taken out to be kept elsewhere and not yet put back (``takeAttention()``): the summary needs them.
        var attentionTaken = 0

        /// The reasons and routes the entries name by position.
        var texts = AttentionTexts()

        /// What the attention list keeps of a student: 48 bytes, its texts named by position (a cohort of a million
        /// has hundreds of thousands on the list).
        struct PendingEntry: Sendable {
            var index: Int
            var score: Double
            var studentID: String
            var group: Int32
            var levelRank: Int32
            /// In ``AttentionTexts/reasons`` and ``AttentionTexts/routes``.
            var reason: Int32
            var route: Int32
        }

        /// A builder for a summary of a batch scored with `rules`; the parameters are those of
        /// ``BatchSummary/init(rules:records:assessments:rejected:attentionFrom:collegeField:classFields:for:)``.
        public init(
            rules: RuleSet, attentionFrom: Int = 1, collegeField: String = "college",
            classFields: [String] = ["class_name", "class"], for audience: Audience = .leastPrivileged
        ) {
            self.rules = rules
            self.audience = audience
            self.attentionFrom = attentionFrom
            college = rules.schema.field(named: collegeField)
            className = classFields.lazy.compactMap { rules.schema.field(named: $0) }.first
            totals = [Int](repeating: 0, count: rules.levels.count)
            scoreTally = ScoreTally(scores: rules.scores, levels: rules.levels.count)
        }

        /// Counts `records` and their `assessments` (same order), the first of them at position `firstIndex` of the
        /// whole batch.
        public mutating func add(_ records: [StudentRecord], _ assessments: [Assessment], firstIndex: Int) {
            precondition(records.count == assessments.count, "records and assessments must correspond")
            // Elements are read in place: a loop over the arrays would copy each assessment and record, and
            // `records[index]` passed on copies the record (its id, texts and storage retained).
            records.withUnsafeBufferPointer { records in
                guard let first = records.baseAddress else { return }
                for index in assessments.indices {
                    add(record: first + index, assessments[index], at: firstIndex + index, by: 1)
                }
            }
        }

        /// Takes back what `old` added for the record at `index` and counts `new` instead: for a student whose
        /// assessment changed after it was added (a cohort rule that raised it, found at the end of a stream).
        package mutating func replace(_ index: Int, record: StudentRecord, was old: Assessment, now new: Assessment) {
            withUnsafePointer(to: record) { record in
                add(record: record, old, at: index, by: -1)
                add(record: record, new, at: index, by: 1)
            }
        }

        /// Adds what `other` gathered over other positions of the same batch; `indexOffset` is added to the positions
        /// it was given (for a builder of one part that counted its first record as position 0). Both must be made
        /// for the same rule set, audience and grouping (checked: anything else stops the program).
        public mutating func merge(_ other: Builder, indexOffset: Int = 0) {
            // A builder for another audience (or rule set, or grouping) would mix views: a role's summary could show
            // what only another role may see.
            precondition(
                other.audience == audience && other.attentionFrom == attentionFrom && other.rules.id == rules.id
                    && other.college?.name == college?.name && other.className?.name == className?.name,
                "merged a summary builder for another audience, rule set or grouping")
            precondition(other.attentionTaken == 0, "merged a summary builder whose attention entries are elsewhere")
            var groupMap: [Int] = []
            for key in other.keys { groupMap.append(group(of: key)) }
            let levels = rules.levels.count
            for (group, target) in groupMap.enumerated() {
                for level in 0..<levels { counts[target * levels + level] += other.counts[group * levels + level] }
            }
            for level in totals.indices { totals[level] += other.totals[level] }
            scoreTally.merge(other.scoreTally, groupMap: groupMap)
            let reasonMap = other.texts.reasons.map { texts.reason($0) }
            let routeMap = other.texts.routes.map { texts.route($0) }
            func moved(_ entry: PendingEntry) -> PendingEntry {
                var entry = entry
                entry.group = Int32(groupMap[Int(entry.group)])
                entry.index += indexOffset
                entry.reason = reasonMap[Int(entry.reason)]
                entry.route = routeMap[Int(entry.route)]
                return entry
            }
            for position in other.attention.indices { attention.append(moved(other.attention[position])) }
            for (index, position) in other.replaced {
                guard position >= 0 else {
                    replaced[index + indexOffset] = -1
                    continue
                }
                replace(index + indexOffset, with: moved(other.replacements[Int(position)]))
            }
        }

        /// The summary of everything added, with `rejected` records rejected before scoring.
        public func summary(rejected: Int = 0) -> BatchSummary {
            precondition(attentionTaken == 0, "a summary made while attention entries are kept elsewhere")
            let groupOrder = keys.indices.sorted { keys[$0] < keys[$1] }
            // The entries shown: those added and not replaced since, by their position in `attention`, then the
            // replacements (positions from attention.count on), each as a key of 24 bytes that sorts as the entry
            // does; the entries themselves are not copied (at a million students the list holds hundreds of
            // thousands).
            let split = attention.count
            let (attention, replacements) = (attention, replacements)
            @Sendable func entry(_ position: Int) -> PendingEntry {
                position < split ? attention[position] : replacements[position - split]
            }
            var urgency: [UrgencyKey] = []
            urgency.reserveCapacity(attention.count + replacements.count)
            func keep(_ position: Int) {
                let entry = entry(position)
                urgency.append(
                    UrgencyKey(
                        rank: entry.levelRank, score: entry.score, studentID: entry.studentID, position: position))
            }
            for position in attention.indices where replaced.isEmpty || replaced[attention[position].index] == nil {
                keep(position)
            }
            for position in replaced.values where position >= 0 { keep(split + Int(position)) }
            // Sorted as numbers (the entries stay where they are); the ids are read only on a tie of the numbers.
            let positions = UrgencyKey.sortedPositions(&urgency) { entry($0).studentID }
            return BatchSummary(
                rules: rules, audience: audience, rejected: rejected,
                groups: groupOrder.map {
                    GroupCounts(
                        college: keys[$0].college, className: keys[$0].className,
                        counts: Array(counts[$0 * rules.levels.count..<($0 + 1) * rules.levels.count]))
                },
                totals: totals,
                attention: AttentionList(
                    added: attention, replacements: replacements, order: positions, groups: keys,
                    texts: texts, levels: rules.levels),
                scores: scoreTally.counts(groupOrder: groupOrder))
        }

        /// Makes `entry` the one shown for the student at `index`, in the place of the one replaced before if any.
        private mutating func replace(_ index: Int, with entry: PendingEntry) {
            if let position = replaced[index], position >= 0 {
                replacements[Int(position)] = entry
            } else {
                replaced[index] = Int32(replacements.count)
                replacements.append(entry)
            }
        }

        /// The position of a group, added when it is new.
        private mutating func group(of key: GroupKey, hash: UInt64? = nil) -> Int {
            let hash = hash ?? Self.groupHash(college: Self.key(key.college), className: Self.key(key.className))
            var candidate = firstGroupWithHash[hash] ?? -1
            while candidate >= 0 {
                if keys[candidate] == key { return candidate }
                candidate = nextGroupWithHash[candidate]
            }
            let group = keys.count
            nextGroupWithHash.append(firstGroupWithHash[hash] ?? -1)
            firstGroupWithHash[hash] = group
            keys.append(key)
            counts.append(contentsOf: repeatElement(0, count: rules.levels.count))
            return group
        }

        /// A hash of a group's texts from their keys (``RiskScreenRecords/GroupKey``, which hashes their composed form):
        /// the same for texts that compare equal.
        private static func groupHash(college: UInt64, className: UInt64) -> UInt64 {
            (college &* 0x9E37_79B9_7F4A_7C15) ^ className
        }

        /// A grouping text's key; ``BatchSummary/missing``'s is worked out once (a dash, which the key would
        /// normalize first).
        private static func key(_ text: String) -> UInt64 {
            text == BatchSummary.missing ? Self.missingKey : RiskScreenRecords.GroupKey.of(text)
        }
        private static let missingKey = RiskScreenRecords.GroupKey.of(BatchSummary.missing)

        /// A grouping field's value as text (``BatchSummary/text(_:_:)``) and its key: a text field's is the one the
        /// record keeps.
        private static func keyedText(
            _ field: Schema.Field?, _ record: UnsafePointer<StudentRecord>
        ) -> (text: String, key: UInt64) {
            if let field, case .text = field.type {
                // The record's fields read through the pointer: a method called on `record.pointee` would copy it.
                let storage = record.pointee.storage
                guard field.slot < record.pointee.texts.count, let text = record.pointee.texts[field.slot],
                    !text.isEmpty, field.slot < storage.textCount
                else {
                    return (BatchSummary.missing, missingKey)
                }
                return (text, storage.textKeys[field.slot])
            }
            let text = BatchSummary.text(field, record.pointee)
            return (text, key(text))
        }

        /// Counts one assessment `by` times (1 to add it, -1 to take it back).
        private mutating func add(
            record: UnsafePointer<StudentRecord>, _ assessment: Assessment, at index: Int, by delta: Int
        ) {
            let (collegeText, collegeKey) = Self.keyedText(college, record)
            let (classText, classKey) = Self.keyedText(className, record)
            let group = group(
                of: GroupKey(college: collegeText, className: classText),
                hash: Self.groupHash(college: collegeKey, className: classKey))
            let levelRank = assessment.levelRank
            let rank = min(max(levelRank, 0), rules.levels.count - 1)
            counts[group * rules.levels.count + rank] += delta
            totals[rank] += delta
            if !rules.scores.isEmpty { scoreTally.add(assessment.visible(to: audience), group: group, by: delta) }
            // Taken back: whatever entry the student had is dropped, until a new one replaces it.
            if delta < 0 {
                replaced[index] = -1
                return
            }
            guard levelRank >= attentionFrom else { return }
            let view = assessment.visible(to: audience)
            let entry = PendingEntry(
                index: index, score: view.score, studentID: assessment.studentID, group: Int32(group),
                levelRank: Int32(levelRank), reason: texts.reason(view.mainReason), route: texts.route(view.route))
            if replaced[index] != nil {
                replace(index, with: entry)
            } else {
                attention.append(entry)
            }
        }
    }
}
