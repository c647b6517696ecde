internal import RiskScreenRules
@_spi(RiskScreenStorage) internal import RiskScreenSupport

extension BatchSummary {
    /// The attention list: a collection of ``AttentionEntry``, most urgent first, each made when it is read.
    ///
    /// It keeps each student in a compact form (48 bytes: position, score, id, and numbers for the group, the level,
    /// the reason and the route) and every distinct text once, so that the list of a whole province (hundreds of
    /// thousands of students) takes tens of megabytes, not hundreds. Reading an entry builds it; read it once into a
    /// variable when it is needed several times.
    public struct AttentionList: RandomAccessCollection, Hashable, Sendable {
        /// The entries as the builder gathered them: those added, then those that replaced others.
        let added: BlockColumn<Builder.PendingEntry>
        let replacements: BlockColumn<Builder.PendingEntry>
        /// The entries shown, most urgent first: a position in ``added``, or `added.count` plus a position in
        /// ``replacements``.
        let order: [Int]
        /// What the entries' numbers stand for.
        let groups: [GroupKey]
        let texts: Builder.AttentionTexts
        let levels: [Level]

        /// The first position, 0.
        public var startIndex: Int { 0 }
        /// One past the last position: the number of students on the list.
        public var endIndex: Int { order.count }

        /// The student at `position`, made from its compact form.
        public subscript(position: Int) -> AttentionEntry {
            let slot = order[position]
            let entry = slot < added.count ? added[slot] : replacements[slot - added.count]
            let group = groups[Int(entry.group)]
            return AttentionEntry(
                index: entry.index, studentID: entry.studentID, levelRank: Int(entry.levelRank), levels: levels,
                score: entry.score, college: group.college, className: group.className,
                reason: texts.reasons[Int(entry.reason)], route: texts.routes[Int(entry.route)])
        }

        /// The display width of each column of the summary's attention table (``AssessmentFormatting``): position,
        /// id, level, score, college, class, main reason and route (`routeNone` for an empty one), each at least as
        /// wide as its header, and each as wide as its widest cell shown escaped (``PrintableText/escaped(_:)``).
        func tableWidths(header: [String], routeNone: String) -> [Int] {
            tableWidths(header: header, shared: sharedTexts(routeNone: routeNone))
        }

        /// ``tableWidths(header:routeNone:)`` with the shared texts already shown: they are measured once each, the
        /// levels, groups, reasons and routes the entries use; only the id and the score are measured per student,
        /// where making every row to measure it cost about ten thousand instructions a row.
        func tableWidths(header: [String], shared: SharedTexts) -> [Int] {
            var widths = header.map(Self.shownWidth)
            var usedLevels = [Bool](repeating: false, count: levels.count)
            var usedGroups = [Bool](repeating: false, count: groups.count)
            var usedReasons = [Bool](repeating: false, count: texts.reasons.count)
            var usedRoutes = [Bool](repeating: false, count: texts.routes.count)
            let withheldWidth = Self.shownWidth("withheld")
            var (idWidth, scoreWidth) = (0, 0)
            for position in order.indices {
                let entry = compactEntry(at: position)
                idWidth = Swift.max(idWidth, Self.shownWidth(entry.studentID))
                scoreWidth = Swift.max(
                    scoreWidth,
                    entry.score.isNaN ? withheldWidth : Self.shownWidth(AssessmentFormatting.number(entry.score)))
                usedLevels[Int(entry.levelRank)] = true
                usedGroups[Int(entry.group)] = true
                usedReasons[Int(entry.reason)] = true
                usedRoutes[Int(entry.route)] = true
            }
            func widest(_ used: [Bool], _ shown: [SharedTexts.Shown]) -> Int {
                used.indices.reduce(0) { used[$1] ? Swift.max($0, shown[$1].width) : $0 }
            }
            let cells = [
                order.isEmpty ? 0 : Self.shownWidth(String(order.count)), idWidth, widest(usedLevels, shared.levels),
                scoreWidth, widest(usedGroups, shared.colleges), widest(usedGroups, shared.classes),
                widest(usedReasons, shared.reasons), widest(usedRoutes, shared.routes),
            ]
            for (column, cell) in cells.enumerated() where column < widths.count {
                widths[column] = Swift.max(widths[column], cell)
            }
            return widths
        }

        /// The display width of `text` as a table shows it, escaped.
        static func shownWidth(_ text: String) -> Int {
            AssessmentFormatting.displayWidth(PrintableText.escaped(text))
        }

        /// The compact form of the student at `position`.
        func compactEntry(at position: Int) -> Builder.PendingEntry {
            let slot = order[position]
            return slot < added.count ? added[slot] : replacements[slot - added.count]
        }

        /// The texts of the attention table that entries share by number, each escaped (as UTF-8) and measured once.
        struct SharedTexts: Sendable {
            /// A text as the table shows it, and its display width.
            struct Shown: Sendable {
                var bytes: [UInt8]
                var width: Int

                init(_ text: String) {
                    let shown = PrintableText.escaped(text)
                    bytes = Array(shown.utf8)
                    width = AssessmentFormatting.displayWidth(shown)
                }
            }

            var levels: [Shown]
            var colleges: [Shown]
            var classes: [Shown]
            var reasons: [Shown]
            var routes: [Shown]
        }

        /// ``SharedTexts`` of this list's levels, groups, reasons and routes (`routeNone` for an empty one).
        func sharedTexts(routeNone: String) -> SharedTexts {
            SharedTexts(
                levels: levels.map { .init($0.id) }, colleges: groups.map { .init($0.college) },
                classes: groups.map { .init($0.className) }, reasons: texts.reasons.map { .init($0) },
                routes: texts.routes.map { .init(AssessmentFormatting.routeText($0, none: routeNone)) })
        }

        /// Whether both lists show the same students the same way, in the same order.
        public static func == (a: AttentionList, b: AttentionList) -> Bool {
            a.elementsEqual(b)
        }

        /// Hashes what ``==(_:_:)`` compares, as an array of the entries would.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(count)
            for entry in self { hasher.combine(entry) }
        }
    }
}

extension BatchSummary.Builder {
    /// The reasons and routes of the attention list, each distinct one kept once and named by its position: a
    /// cohort's list has hundreds of thousands of entries but a few hundred reasons and a few routes. Texts are the
    /// same when their bytes are (``ExactText``), so each entry shows its own bytes.
    struct AttentionTexts: Sendable {
        private(set) var reasons: [String] = []
        private(set) var routes: [[String]] = []
        private var reasonPositions: [ExactText: Int32] = [:]
        private var routePositions: [[ExactText]: Int32] = [:]

        /// The position of `reason`, added when it is new.
        mutating func reason(_ reason: String) -> Int32 {
            if let position = reasonPositions[ExactText(reason)] { return position }
            reasons.append(reason)
            reasonPositions[ExactText(reason)] = Int32(reasons.count - 1)
            return Int32(reasons.count - 1)
        }

        /// The position of `route`, added when it is new.
        mutating func route(_ route: [String]) -> Int32 {
            let key = route.map(ExactText.init)
            if let position = routePositions[key] { return position }
            routes.append(route)
            routePositions[key] = Int32(routes.count - 1)
            return Int32(routes.count - 1)
        }

        /// A text compared and hashed by its UTF-8 bytes (a `String` compares by canonical equivalence: two reasons
        /// that differ only in their composition would otherwise show as the first one seen).
        struct ExactText: Hashable, Sendable {
            let text: String

            init(_ text: String) { self.text = text }

            static func == (a: ExactText, b: ExactText) -> Bool {
                var (left, right) = (a.text, b.text)
                return left.withUTF8 { left in right.withUTF8 { right in left.elementsEqual(right) } }
            }

            /// The bytes hashed at once (a byte at a time cost a few hundred instructions for a reason).
            func hash(into hasher: inout Hasher) {
                var text = text
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(text.utf8.count)
            }
        }
    }
}
