package import RiskScreenRules
internal import RiskScreenSupport
package import RiskScreenYAML

/// Turns one record node (from YAML or JSON) into a ``StudentRecord``, checking every value against the schema.
///
/// Its checks of one value, one event and one scale result (``studentID(_:)``, ``setField(_:_:parts:seen:)``,
/// ``addEvent(kind:at:date:to:sensitive:)``, ``addScaleResult(_:to:sensitive:)``) take any ``RecordValue``: the CSV
/// reader calls them on its cells, so every reader accepts the same values and words a refusal the same way.
package struct RecordDecoder: Sendable {
    let schema: Schema
    /// Keys a record may carry beside its fields (for example a fixture's `expect` and `why`).
    let extraKeys: Set<String>
    /// How the reader's values are written: JSON's typed values or YAML's and CSV's text.
    let syntax: RecordCoercion.Syntax
    /// Whether a field, event kind, scale or score the schema does not know refuses the record or is left out and
    /// noted in ``RecordParts/ignored``.
    let unknownNames: UnknownNames
    private let fieldIndex: [String: Int]
    private let eventIndex: [String: Int]
    private let scaleIndex: [String: Int]

    package init(
        schema: Schema, syntax: RecordCoercion.Syntax, extraKeys: Set<String> = [], unknownNames: UnknownNames = .refuse
    ) {
        self.schema = schema
        self.syntax = syntax
        self.extraKeys = extraKeys
        self.unknownNames = unknownNames
        fieldIndex = Dictionary(schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        eventIndex = Dictionary(schema.eventKinds.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
        scaleIndex = Dictionary(schema.scales.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
    }

    package func decode(_ node: YAMLNode) -> Result<StudentRecord, RecordError> {
        var parts = RecordParts()
        return decode(node, parts: &parts)
    }

    /// Decodes a record node, assembling it in `parts` (emptied first, so one set of parts serves many records); the
    /// names it left out are in `parts.ignored` afterwards.
    func decode(_ node: YAMLNode, parts: inout RecordParts) -> Result<StudentRecord, RecordError> {
        guard let entries = node.entries else {
            return .failure(
                RecordError(
                    .typeMismatch, at: node.location, studentID: nil, field: nil,
                    "found \(node.kindDescription); expected a student record (a mapping with id and fields)"))
        }
        guard let idEntry = entries.first(where: { $0.key == "id" }) else {
            return .failure(
                RecordError(
                    .missingRequired, at: node.location, studentID: nil, field: "id",
                    "found a record without id; expected id: STUDENT-ID"
                ))
        }
        if syntax == .json, case .scalar(let bare, quoted: false) = idEntry.value.content, !idEntry.value.isNull {
            return .failure(
                RecordError(
                    .typeMismatch, at: idEntry.value.location, studentID: nil, field: "id",
                    "found \(bare) without quotes; expected the student id as a JSON string, such as \"\(bare)\""))
        }
        let id: String
        switch studentID(idEntry.value) {
        case .success(let valid): id = valid
        case .failure(let error): return .failure(error)
        }
        parts.reset(for: schema)
        var seen = [Bool](repeating: false, count: schema.fields.count)
        // Every error of the record, in the order of its keys: a rejection lists them all.
        var failures = Failures()
        for entry in entries where entry.key != "id" {
            if let index = fieldIndex[entry.key] {
                failures.append(setField(index, entry.value, parts: &parts, seen: &seen))
            } else if entry.key == "events" {
                decodeEvents(entry.value, into: &parts, failures: &failures)
            } else if entry.key == "scales" {
                decodeScales(entry.value, into: &parts, failures: &failures)
            } else if extraKeys.contains(entry.key) {
                continue
            } else if unknownNames == .ignore {
                parts.ignored.append(IgnoredNames.Name(.field, entry.key))
            } else {
                let expected = schema.fields.map(\.name) + ["events", "scales"]
                failures.append(
                    Failure(
                        code: .unknownField, location: entry.keyLocation, field: entry.key,
                        message: "found the unknown field \"\(entry.key)\"; expected a field of the schema"
                            + Suggestion.hint(for: entry.key, in: expected), sensitive: false))
            }
        }
        missingRequiredFields(seen: seen, at: node.location, failures: &failures)
        if let rejection = failures.rejection(studentID: id) { return .failure(rejection) }
        return .success(StudentRecord(id: id, location: node.location, parts: parts, schema: schema))
    }

    // MARK: One value

    /// The student id written in `value`, or the rejection of a record whose id is missing or malformed.
    func studentID(_ value: some RecordValue) -> Result<String, RecordError> {
        guard let id = value.scalar, !value.isNull, RecordCoercion.isValidID(id) else {
            return .failure(
                RecordError(
                    .invalidValue, at: value.location, studentID: nil, field: "id",
                    "found \(value.kindDescription); expected a student id of 1 to \(RecordCoercion.maxIDLength) characters, with no control or bidi characters"
                ))
        }
        return .success(id)
    }

    /// Sets field `index` from `value` in `parts` and marks it seen, or says why the value is refused; a null value
    /// leaves the field missing.
    func setField(_ index: Int, _ value: some RecordValue, parts: inout RecordParts, seen: inout [Bool]) -> Failure? {
        let field = schema.fields[index]
        seen[index] = !value.isNull
        if value.isNull { return nil }
        switch decodeValue(value, field) {
        case .success(.text(let text)): parts.texts[field.slot] = text
        case .success(.number(let number)): parts.values[field.slot] = number
        case .failure(let message):
            return Failure(
                code: message.code, location: value.location, field: field.name, message: message.text,
                sensitive: field.sensitive)
        }
        return nil
    }

    /// Each required field not seen, and the first case fact given without the fact it needs (a confirmed level
    /// without its date would be dropped, a crisis a person confirmed lost), as failures at the record's place.
    func missingRequiredFields(seen: [Bool], at location: SourceLocation, failures: inout Failures) {
        for (index, field) in schema.fields.enumerated() where field.required && !seen[index] {
            failures.append(
                Failure(
                    code: .missingRequired, location: location, field: field.name,
                    message:
                        "found no value for the required field \(field.name); expected \(field.name): \(field.type)",
                    sensitive: field.sensitive))
        }
        if let (fact, needs) = schema.caseFacts.missingCompanion(given: { seen[$0] }) {
            let field = schema.fields[fact]
            failures.append(
                Failure(
                    code: .missingRequired, location: location, field: field.name,
                    message:
                        "found \(field.name) without \(schema.fields[needs].name); expected both (a confirmation counts from its date, a leave from its start)",
                    sensitive: field.sensitive || schema.fields[needs].sensitive))
        }
    }

    enum DecodedValue {
        case number(Double)
        case text(String)
    }

    enum ValueResult {
        case success(DecodedValue)
        case failure(RecordCoercion.Message)
    }

    private func decodeValue(_ node: some RecordValue, _ field: Schema.Field) -> ValueResult {
        guard let text = node.scalar else {
            return .failure(
                RecordCoercion.Message(
                    .typeMismatch, "found \(node.kindDescription); expected a single \(field.type) value"))
        }
        // In JSON, text, dates and enumeration values are strings: a bare number or boolean is a mistake of type.
        if syntax == .json, !node.isQuotedScalar {
            switch field.type {
            case .text, .date, .enumeration:
                return .failure(
                    RecordCoercion.Message(
                        .typeMismatch,
                        "found \(text) without quotes; expected \(field.type == .text ? "text" : field.type == .date ? "a date" : "one of the values") as a JSON string"
                    ))
            case .integer, .number, .boolean:
                break
            }
        }
        switch field.type {
        case .text:
            guard text.utf8.count <= RecordCoercion.maxTextBytes else {
                return .failure(
                    RecordCoercion.Message(
                        .tooLarge,
                        "found text of \(text.utf8.count) bytes; expected at most \(RecordCoercion.maxTextBytes)"))
            }
            return .success(.text(text))
        case .integer, .number:
            let value: Double
            switch RecordCoercion.number(node, syntax: syntax, integer: field.type == .integer) {
            case .success(let number): value = number
            case .failure(let message): return .failure(message)
            }
            if let minimum = field.minimum, value < minimum {
                return .failure(
                    RecordCoercion.Message(
                        .outOfRange,
                        "found \(text), below the smallest value \(NumberText.format(minimum)); expected \(NumberText.format(minimum)) or more"
                    ))
            }
            if let maximum = field.maximum, value > maximum {
                return .failure(
                    RecordCoercion.Message(
                        .outOfRange,
                        "found \(text), above the largest value \(NumberText.format(maximum)); expected \(NumberText.format(maximum)) or less"
                    ))
            }
            return .success(.number(value))
        case .boolean:
            switch RecordCoercion.boolean(node, syntax: syntax, schema: schema) {
            case .success(let value): return .success(.number(value))
            case .failure(let message): return .failure(message)
            }
        case .date:
            guard let date = self.date(text) else {
                return .failure(
                    RecordCoercion.Message(.invalidValue, "found \(node.kindDescription); expected \(dateExpectation)"))
            }
            return .success(.number(Double(date.dayNumber)))
        case .enumeration(let allowed, _):
            guard let index = allowed.firstIndex(of: text) else {
                return .failure(
                    RecordCoercion.Message(
                        .invalidValue,
                        "found \(node.kindDescription); expected one of: \(allowed.joined(separator: ", "))"
                            + Suggestion.hint(for: text, in: allowed)))
            }
            return .success(.number(Double(index)))
        }
    }

    /// A date as the reader's syntax writes it: JSON's `YYYY-MM-DD`, or a text cell's (``CivilDate/init(text:)``).
    private func date(_ text: String) -> CivilDate? {
        syntax == .json ? CivilDate(iso: text) : CivilDate(text: text)
    }

    /// What a message expects of a date in the reader's syntax.
    private var dateExpectation: String {
        syntax == .json ? CivilDate.expectation : CivilDate.textExpectation
    }

    private func day(_ node: (some RecordValue)?) -> Int32? {
        guard let text = node?.scalar, let date = date(text) else { return nil }
        return Int32(date.dayNumber)
    }

    // MARK: Events

    /// Adds one event of `kind` (its name written at `kindLocation`) on `date` to `parts`, or says why it is refused.
    /// `sensitive` is set to whether the kind is sensitive (false for an unknown kind).
    func addEvent<Value: RecordValue>(
        kind: String, at kindLocation: SourceLocation, date: Value?, to parts: inout RecordParts, sensitive: inout Bool
    ) -> Failure? {
        guard let index = eventIndex[kind] else {
            sensitive = false
            if unknownNames == .ignore {
                parts.ignored.append(IgnoredNames.Name(.eventKind, kind))
                return nil
            }
            return Failure(
                code: .unknownEventKind, location: kindLocation, field: "events",
                message:
                    "found the unknown event kind \"\(kind)\"; expected one of: \(schema.eventKinds.map(\.name).joined(separator: ", "))"
                    + Suggestion.hint(for: kind, in: eventIndex.keys),
                sensitive: false)
        }
        sensitive = schema.eventKinds[index].sensitive
        guard let day = day(date) else {
            return Failure(
                code: date == nil ? .missingRequired : .invalidValue, location: date?.location ?? kindLocation,
                field: "events",
                message:
                    "found \(date?.kindDescription ?? "no date") for a \(kind) event; expected \(dateExpectation)",
                sensitive: sensitive)
        }
        // Only when the record holds that many events in all can one kind hold too many.
        if parts.eventKinds.count >= RecordCoercion.maxListLength,
            parts.eventKinds.count(where: { $0 == Int32(index) }) >= RecordCoercion.maxListLength
        {
            return Failure(
                code: .tooLarge, location: kindLocation, field: "events",
                message: "found more than \(RecordCoercion.maxListLength) \(kind) events; expected fewer",
                sensitive: sensitive)
        }
        parts.addEvent(kind: index, day: day)
        return nil
    }

    /// `events: {kind: [dates]}` or `events: [{kind: …, date: …}]`.
    private func decodeEvents(_ node: YAMLNode, into parts: inout RecordParts, failures: inout Failures) {
        if node.isNull { return }
        // Set by each event added: a refusal of the event's shape after an event of a sensitive kind counts as sensitive.
        var sensitive = false
        if let kinds = node.entries {
            for entry in kinds {
                let dates = entry.value.items ?? [entry.value]
                for dateNode in dates {
                    failures.append(
                        addEvent(
                            kind: entry.key, at: entry.keyLocation, date: dateNode, to: &parts, sensitive: &sensitive))
                }
            }
            return
        }
        func fail(_ code: RecordError.Code, _ location: SourceLocation, _ message: String) {
            failures.append(
                Failure(code: code, location: location, field: "events", message: message, sensitive: sensitive))
        }
        guard let items = node.items else {
            fail(
                .typeMismatch, node.location,
                "found \(node.kindDescription); expected a list of {kind, date} or a mapping of kinds to dates")
            return
        }
        for item in items {
            guard let entries = item.entries, let kindEntry = entries.first(where: { $0.key == "kind" }),
                let kind = kindEntry.value.scalar
            else {
                fail(
                    .typeMismatch, item.location, "found \(item.kindDescription); expected an event {kind: …, date: …}")
                continue
            }
            if let unknown = entries.first(where: { !["kind", "date", "note"].contains($0.key) }) {
                fail(
                    .unknownField, unknown.keyLocation,
                    "found the unknown key \"\(unknown.key)\" in an event; expected kind, date or note")
                continue
            }
            let date = entries.first(where: { $0.key == "date" })?.value
            failures.append(
                addEvent(kind: kind, at: kindEntry.value.location, date: date, to: &parts, sensitive: &sensitive))
        }
    }

    // MARK: Scale results

    /// `scales: [{scale, date, items: [...]}]` or `[{scale, date, scores: {...}, class: …}]`.
    private func decodeScales(_ node: YAMLNode, into parts: inout RecordParts, failures: inout Failures) {
        if node.isNull { return }
        // Set by each result read: a refusal after a result of a sensitive scale counts as sensitive.
        var sensitive = false
        guard let items = node.items else {
            failures.append(
                Failure(
                    code: .typeMismatch, location: node.location, field: "scales",
                    message: "found \(node.kindDescription); expected a list of scale results", sensitive: sensitive))
            return
        }
        for item in items {
            guard let entries = item.entries else {
                failures.append(
                    Failure(
                        code: .typeMismatch, location: item.location, field: "scales",
                        message:
                            "found \(item.kindDescription); expected {scale, date, items} or {scale, date, scores, class}",
                        sensitive: sensitive))
                continue
            }
            var result = ScaleResultInput<YAMLNode>(location: item.location)
            for entry in entries {
                switch entry.key {
                case "scale": result.scale = entry.value
                case "date": result.date = entry.value
                case "class": result.classValue = entry.value
                case "items":
                    result.items =
                        entry.value.items.map { .answers($0, at: entry.value.location) } ?? .other(entry.value)
                case "scores":
                    result.scores =
                        entry.value.entries.map { given in
                            .scores(
                                given.map { (name: $0.key, at: $0.keyLocation, value: $0.value) },
                                at: entry.value.location)
                        } ?? .other(entry.value)
                default:
                    failures.append(
                        Failure(
                            code: .unknownField, location: entry.keyLocation, field: "scales",
                            message:
                                "found the unknown key \"\(entry.key)\" in a scale result; expected scale, date, items, scores or class",
                            sensitive: sensitive))
                }
            }
            addScaleResult(result, to: &parts, sensitive: &sensitive, failures: &failures)
        }
    }

    /// Adds one scale result to `parts`, or adds to `failures` every reason it is refused (then nothing is added).
    /// `sensitive` is set to whether its scale is sensitive once the scale is known (and left as it was when the
    /// scale is not).
    func addScaleResult<Value: RecordValue>(
        _ result: ScaleResultInput<Value>, to parts: inout RecordParts, sensitive: inout Bool, failures: inout Failures
    ) {
        func fail(_ code: RecordError.Code, _ location: SourceLocation, _ message: String) {
            failures.append(
                Failure(code: code, location: location, field: "scales", message: message, sensitive: sensitive))
        }
        guard let name = result.scale?.scalar, let index = scaleIndex[name] else {
            if unknownNames == .ignore, let name = result.scale?.scalar, result.scale?.isNull == false {
                parts.ignored.append(IgnoredNames.Name(.scale, name))
                return
            }
            let found = result.scale?.kindDescription ?? "no scale"
            fail(
                result.scale == nil ? .missingRequired : .unknownScale, result.scale?.location ?? result.location,
                "found \(found); expected one of the scales: \(schema.scales.map(\.name).joined(separator: ", "))")
            return
        }
        let scale = schema.scales[index]
        sensitive = scale.sensitive
        let failedBefore = failures.count
        let itemsBefore = parts.items.count
        let day = day(result.date)
        if day == nil {
            fail(
                result.date == nil ? .missingRequired : .invalidValue, result.date?.location ?? result.location,
                "found \(result.date?.kindDescription ?? "no date") for \(name); expected \(dateExpectation)")
        }
        var itemsStart: Int?
        if let items = result.items {
            if case .answers(let list, _) = items, list.count == scale.itemCount {
                let start = parts.items.count
                var allValid = true
                for (position, answer) in list.enumerated() {
                    let number = RecordCoercion.number(answer, syntax: syntax, integer: true)
                    guard case .success(let value) = number, RecordCoercion.isValidAnswer(value, of: scale) else {
                        allValid = false
                        fail(
                            Self.rangeCode(number), answer.location,
                            "found \(answer.kindDescription) as answer \(position + 1) of \(name); expected a whole number from \(NumberText.format(scale.minimumAnswer)) to \(NumberText.format(scale.maximumAnswer))"
                        )
                        continue
                    }
                    parts.items.append(value)
                }
                if allValid { itemsStart = start }
            } else {
                let found: String
                switch items {
                case .answers(let list, _): found = "\(list.count) answers"
                case .other(let value): found = value.kindDescription
                }
                fail(
                    Self.countCode(items), items.location,
                    "found \(found) for \(name); expected \(scale.itemCount) answers")
            }
        }
        var scores = [Double](repeating: .nan, count: scale.scores.count)
        if let given = result.scores {
            if result.items != nil {
                fail(
                    .conflictingValues, given.location,
                    "found both items and scores for \(name); expected one: scores are computed from items")
            } else if case .scores(let entries, _) = given {
                for entry in entries {
                    guard let scoreIndex = scale.scoreIndex(entry.name) else {
                        if unknownNames == .ignore {
                            parts.ignored.append(IgnoredNames.Name(.score, entry.name, within: name))
                        } else {
                            fail(
                                .unknownScore, entry.at,
                                "found the unknown score \"\(entry.name)\" of \(name); expected one of: \(scale.scores.map(\.name).joined(separator: ", "))"
                            )
                        }
                        continue
                    }
                    let range = scale.range(ofScore: scoreIndex)
                    let number = RecordCoercion.number(entry.value, syntax: syntax, integer: false)
                    guard case .success(let value) = number, range.contains(value) else {
                        fail(
                            Self.rangeCode(number), entry.value.location,
                            "found \(entry.value.kindDescription) for \(name).\(entry.name); expected a number from \(NumberText.format(range.lowerBound)) to \(NumberText.format(range.upperBound)), as its items allow"
                        )
                        continue
                    }
                    scores[scoreIndex] = value
                }
            } else {
                fail(
                    .typeMismatch, given.location,
                    "found \(given.kindDescription); expected a mapping of score names to numbers")
            }
        }
        var classIndex: Int32?
        if let classValue = result.classValue {
            if result.items != nil {
                fail(
                    .conflictingValues, classValue.location,
                    "found both items and class for \(name); expected one: the class is computed from items")
            } else if let className = classValue.scalar, let found = scale.classNames.firstIndex(of: className) {
                classIndex = Int32(found)
            } else {
                fail(
                    classValue.scalar == nil ? .typeMismatch : .invalidValue, classValue.location,
                    "found \(classValue.kindDescription) as the class of \(name); expected one of: \(scale.classNames.joined(separator: ", "))"
                )
            }
        }
        if result.items == nil && result.scores == nil && result.classValue == nil {
            fail(
                .missingRequired, result.location,
                "found a \(name) result with no items, scores or class; expected one of them")
        }
        guard failures.count == failedBefore, let day else {
            // Nothing of a refused result stays in the parts (a builder may go on after a refusal).
            if parts.items.count > itemsBefore { parts.items.removeSubrange(itemsBefore...) }
            return
        }
        if let itemsStart {
            parts.addResult(of: scale, day: day, itemsStart: itemsStart)
        } else {
            // A class the rules work out from the record's fields waits until every field is read.
            let pending = classIndex == nil && scale.classReadsFields
            parts.addResult(
                scale: index, day: day, scores: scores, items: [],
                classIndex: classIndex ?? (pending ? -1 : scale.classify(scores: scores, items: [])),
                classPending: pending)
        }
    }
}
