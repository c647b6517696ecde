package import RiskScreenRules

/// Renders assessments as JSON Lines straight into bytes: texts that need no escaping (nearly all) are copied whole,
/// whole numbers are written digit by digit, and nothing is allocated per field.
///
/// ``AssessmentFormatting/jsonLine(_:)`` is this rendering as a string; the `score` command writes the bytes.
package enum AssessmentJSON {
    /// Appends one assessment as `role` may see it: the same bytes as `append(assessment.visible(to: role))` (the view
    /// is a copy of a few references, nothing is allocated).
    package static func append(_ assessment: Assessment, visibleTo role: Role, to out: inout [UInt8]) {
        append(assessment.visible(to: role), to: &out)
    }

    /// Appends one assessment as one line of JSON (without the newline), showing what its view shows
    /// (``Redaction``), in the shape of ``AssessmentRecord`` (its `version` first, 1); the keys are those of
    /// ``AssessmentFormatting/jsonLine(_:)``; a view that withholds something
    /// has `"score":null`, `"score_level":"withheld"` (and with several scores, `"scores"` by id, each
    /// `{"score":null,"level":"withheld"}`), one `withheld` entry at the end of `fired` (dimension and points
    /// null) and `"changed_level":null`.
    package static func append(_ assessment: Assessment, to out: inout [UInt8]) {
        let redaction = assessment.redaction
        out.appendLiteral(#"{"version":1,"id":"#)
        appendString(assessment.studentID, to: &out)
        out.appendLiteral(#","as_of":""#)
        appendDate(assessment.asOf, to: &out)
        out.appendLiteral(#"","score":"#)
        appendNumber(redaction.showsScore ? assessment.fullScore : .nan, to: &out)
        out.appendLiteral(#","level":"#)
        appendString(assessment.levelID, to: &out)
        out.appendLiteral(#","confirmed_level":"#)
        if let confirmed = assessment.confirmedLevel {
            appendString(confirmed.id, to: &out)
        } else {
            out.appendLiteral("null")
        }
        out.appendLiteral(#","status":"#)
        appendString(assessment.status.rawValue, to: &out)
        out.appendLiteral(#","score_level":"#)
        appendString(
            redaction.showsScore ? assessment.sheet.levels[assessment.scoreLevelRank].id : "withheld", to: &out)
        if !assessment.sheet.scores.isEmpty {
            // Several scores: each one's score and level, by id, as declared (null and withheld with the score).
            out.appendLiteral(#","scores":{"#)
            for (index, part) in assessment.scores.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(part.id, to: &out)
                out.appendLiteral(#":{"score":"#)
                appendNumber(part.score, to: &out)
                out.appendLiteral(#","level":"#)
                appendString(part.levelID, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "}"))
        }
        out.appendLiteral(#","route":["#)
        for (index, role) in assessment.route.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(role, to: &out)
        }
        out.appendLiteral(#"],"response":"#)
        appendString(assessment.response, to: &out)
        out.appendLiteral(#","parents":"#)
        appendString(assessment.informParents.rawValue, to: &out)
        out.appendLiteral(#","actions":["#)
        if !assessment.actionRange.isEmpty {
            for (index, action) in assessment.actions.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendLiteral(#"{"id":"#)
                appendString(action.id, to: &out)
                out.appendLiteral(#","role":"#)
                appendString(action.role, to: &out)
                out.appendLiteral(#","reported_to":"#)
                appendString(action.reportedTo, to: &out)
                out.appendLiteral(#","due":""#)
                appendDate(action.due, to: &out)
                out.appendLiteral(#"","overdue_days":"#)
                appendNumber(Double(action.overdueDays), to: &out)
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(UInt8(ascii: "]"))
        out.appendLiteral(#","fired":["#)
        // Read from the assessment's indices into its sheet: no FiredIndicator or AppliedRule is built.
        let sheet = assessment.sheet
        var firstFired = true
        sheet.indicators.withUnsafeBufferPointer { indicators in
            guard let first = indicators.baseAddress else { return }
            for entry in assessment.firedEntries where !redaction.hides(indicators[Int(entry.indicator)]) {
                if !firstFired { out.append(UInt8(ascii: ",")) }
                firstFired = false
                // A pointer, so that the indicator is read in place: passed as a value, it was copied whole.
                appendIndicator(
                    first + Int(entry.indicator), head: sheet.json.indicatorHeads[Int(entry.indicator)], entry,
                    of: assessment, redaction: redaction, to: &out)
            }
        }
        if redaction.withholdsAnything {
            if !firstFired { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: withheldEntry)
        }
        out.appendLiteral(#"],"escalations":["#)
        appendRules(of: assessment, caps: false, redaction: redaction, to: &out)
        out.appendLiteral(#"],"caps":["#)
        appendRules(of: assessment, caps: true, redaction: redaction, to: &out)
        out.appendLiteral(#"],"calendar":["#)
        var firstEffect = true
        for effect in sheet.activeEffects {
            var firstIndicator = true
            for index in effect.indicatorIndices
            where assessment.didFire(index) && !redaction.hides(sheet.indicators[index]) {
                if firstIndicator {
                    if !firstEffect { out.append(UInt8(ascii: ",")) }
                    firstEffect = false
                    out.appendLiteral(#"{"window":"#)
                    appendString(effect.window, to: &out)
                    out.appendLiteral(#","factor":"#)
                    appendNumber(effect.factor, to: &out)
                    out.appendLiteral(#","indicators":["#)
                } else {
                    out.append(UInt8(ascii: ","))
                }
                firstIndicator = false
                appendString(sheet.indicators[index].id, to: &out)
            }
            if !firstIndicator { out.appendLiteral("]}") }
        }
        out.appendLiteral(#"],"notice":"#)
        out.append(contentsOf: sheet.json.notice)
        out.append(UInt8(ascii: "}"))
    }

    /// What a rule set writes the same way in every result, rendered once when an engine is made: every fired
    /// indicator's label and the notice ending every line were escaped again for every student, about a tenth of
    /// rendering.
    struct RuleTexts: Sendable {
        /// Per indicator: the start of its entry, up to its points (``indicatorHead(_:)``).
        let indicatorHeads: [[UInt8]]
        /// The notice, as a JSON string.
        let notice: [UInt8]

        init(rules: RuleSet) {
            indicatorHeads = rules.indicators.map(AssessmentJSON.indicatorHead)
            var notice: [UInt8] = []
            appendString(rules.texts.notice, to: &notice)
            self.notice = notice
        }
    }

    /// The entry standing for what a view withholds, at the end of `fired`.
    private static let withheldEntry: [UInt8] = {
        var out: [UInt8] = []
        out.appendLiteral(#"{"id":"withheld","label":"#)
        appendLabel(Assessment.withheldLabel, to: &out)
        out.appendLiteral(#","dimension":null,"points":null,"evidence":[]}"#)
        return out
    }()

    /// The start of an indicator's entry, up to its points: `{"id":…,"label":…,"dimension":…,"points":`, rendered
    /// once per indicator (``RuleTexts``).
    static func indicatorHead(_ indicator: Indicator) -> [UInt8] {
        var out: [UInt8] = []
        out.appendLiteral(#"{"id":"#)
        appendString(indicator.id, to: &out)
        out.appendLiteral(#","label":"#)
        appendLabel(indicator.label, to: &out)
        out.appendLiteral(#","dimension":"#)
        appendString(indicator.dimension.id, to: &out)
        out.appendLiteral(#","points":"#)
        return out
    }

    /// A fired indicator that the view shows, after its `head` (``indicatorHead(_:)``); a sensitive evidence value of
    /// it shows as `withheld`.
    private static func appendIndicator(
        _ indicator: UnsafePointer<Indicator>, head: [UInt8], _ entry: Assessment.FiredEntry,
        of assessment: Assessment, redaction: Redaction, to out: inout [UInt8]
    ) {
        out.append(contentsOf: head)
        appendNumber(entry.points, to: &out)
        out.appendLiteral(#","evidence":["#)
        indicator.pointee.evidence.withUnsafeBufferPointer { evidence in
            for position in evidence.indices {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out.appendLiteral(#"{"label":"#)
                appendString(evidence[position].label, to: &out)
                out.appendLiteral(#","value":"#)
                if redaction.hides(evidence[position]) {
                    appendString("withheld", to: &out)
                } else {
                    appendString(evidence[position].value.format(assessment.evidenceValue(entry, position)), to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out.appendLiteral("]}")
    }

    /// The caps (or the escalations and cohort rules) that held and that the view shows.
    private static func appendRules(of assessment: Assessment, caps: Bool, redaction: Redaction, to out: inout [UInt8])
    {
        let sheet = assessment.sheet
        var first = true
        func append(_ entry: Assessment.RuleEntry) {
            if redaction.hides(entry, on: sheet) { return }
            let rule = sheet.rule(entry)
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.appendLiteral(#"{"id":"#)
            appendString(rule.id, to: &out)
            out.appendLiteral(#","level":"#)
            appendString(sheet.levels[rule.level].id, to: &out)
            out.appendLiteral(#","changed_level":"#)
            out.appendLiteral(redaction.showsScore ? (entry.changedLevel ? "true" : "false") : "null")
            out.appendLiteral(#","reason":"#)
            appendString(rule.reason, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        // Held caps and escalations, then cohort rules (escalations too), read in place.
        for entry in sheet.heldRules[assessment.heldRuleRange] where (entry.kind == .cap) == caps { append(entry) }
        if !caps { for entry in assessment.cohortEntries { append(entry) } }
    }

    /// A label as its description (`中文 (English)`) in one JSON string, without building the description: escaping
    /// goes character by character, so escaping the parts is escaping the whole.
    private static func appendLabel(_ label: Label, to out: inout [UInt8]) {
        if label.zh.isEmpty || label.en.isEmpty || label.en == label.zh {
            appendString(label.description, to: &out)
            return
        }
        out.append(UInt8(ascii: "\""))
        appendEscaped(label.zh, to: &out)
        out.appendLiteral(" (")
        appendEscaped(label.en, to: &out)
        out.appendLiteral(")\"")
    }

    /// `YYYY-MM-DD` (years are 1900 to 2200: always four digits).
    private static func appendDate(_ date: CivilDate, to out: inout [UInt8]) {
        let (year, month, day) = date.components
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
    }

    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// A number as ``AssessmentFormatting/number(_:)`` writes it: rounded to two decimals, `null` when missing.
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.appendLiteral("null")
            return
        }
        let rounded = (value * 100).rounded() / 100
        guard rounded == rounded.rounded(), abs(rounded) < 1e15 else {
            out.append(contentsOf: AssessmentFormatting.number(value).utf8)
            return
        }
        var whole = Int(rounded)
        if whole < 0 {
            out.append(UInt8(ascii: "-"))
            whole = -whole
        }
        var digits: (UInt64, UInt64) = (0, 0)  // up to 16 digits, least significant first
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    /// The index of the first byte at or after `from` that may need escaping (a control character, `"`, `\\`, or
    /// 0xE2, which begins U+2028 and U+2029), or `count`. Eight bytes are tested at a time, as one word.
    @inline(__always)
    private static func nextSpecialByte(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Nonzero when some byte of `word` is below `limit` (exact as a yes/no answer for limits up to 0x80).
        @inline(__always) func hasByteBelow(_ word: UInt64, _ limit: UInt64) -> Bool {
            (word &- ones &* limit) & ~word & highs != 0
        }
        @inline(__always) func hasByte(_ word: UInt64, _ byte: UInt64) -> Bool {
            hasByteBelow(word ^ (ones &* byte), 1)
        }
        var index = from
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if hasByteBelow(word, 0x20) || hasByte(word, 0x22) || hasByte(word, 0x5C) || hasByte(word, 0xE2) { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return index }
            index += 1
        }
        return count
    }

    /// A JSON string literal: runs of plain bytes are copied whole, and only `"`, `\`, control characters and
    /// U+2028/U+2029 are escaped.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// A text's bytes as the inside of a JSON string literal.
    private static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &out) }
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var runStart = 0
        var index = 0
        while true {
            index = nextSpecialByte(base, from: index, count: count)
            guard index < count else { break }
            let byte = base[index]
            var escape: StaticString?
            var length = 1
            switch byte {
            case 0x22: escape = #"\""#
            case 0x5C: escape = #"\\"#
            case 0x0A: escape = #"\n"#
            case 0x0D: escape = #"\r"#
            case 0x09: escape = #"\t"#
            case 0xE2:
                // E2 80 A8 and E2 80 A9 are U+2028 and U+2029; any other E2 sequence is plain text.
                guard index + 2 < count, base[index + 1] == 0x80, base[index + 2] == 0xA8 || base[index + 2] == 0xA9
                else {
                    index += 1
                    continue
                }
                escape = base[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#
                length = 3
            default:
                break
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
            if let escape {
                out.appendLiteral(escape)
            } else {
                // Another control character: \u00XX.
                let hex: StaticString = "0123456789abcdef"
                out.appendLiteral(#"\u00"#)
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0xF)])
            }
            index += length
            runStart = index
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
    }
}

extension [UInt8] {
    /// Appends a literal's UTF-8 bytes.
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
