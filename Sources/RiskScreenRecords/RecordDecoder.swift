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

    /// Why a value, event or scale result is refused: where, the field (or `events`, `scales`) and what was found and
    /// expected; `sensitive` when the message reveals a sensitive fact.
    struct Failure: Error {
        var location: SourceLocation
        var field: String
        var message: String
        var sensitive: Bool

        /// The record's rejection.
        func error(studentID: String) -> RecordError {
            RecordError(at: location, studentID: studentID, field: field, message, revealsSensitive: sensitive)
        }
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
                    at: node.location, studentID: nil, field: nil,
                    "found \(node.kindDescription); expected a student record (a mapping with id and fields)"))
        }
        guard let idEntry = entries.first(where: { $0.key == "id" }) else {
            return .failure(
                RecordError(
                    at: node.location, studentID: nil, field: "id", "found a record without id; expected id: STUDENT-ID"
                ))
        }
        if syntax == .json, case .scalar(let bare, quoted: false) = idEntry.value.content, !idEntry.value.isNull {
            return .failure(
                RecordError(
                    at: idEntry.value.location, studentID: nil, field: "id",
                    "found \(bare) without quotes; expected the student id as a JSON string, such as \"\(bare)\""))
        }
        let id: String
        switch studentID(idEntry.value) {
        case .success(let valid): id = valid
        case .failure(let error): return .failure(error)
        }
        parts.reset(for: schema)
        var seen = [Bool](repeating: false, count: schema.fields.count)
        for entry in entries where entry.key != "id" {
            if let index = fieldIndex[entry.key] {
                if let failure = setField(index, entry.value, parts: &parts, seen: &seen) {
                    return .failure(failure.error(studentID: id))
                }
            } else if entry.key == "events" {
                if let failure = decodeEvents(entry.value, into: &parts) {
                    return .failure(failure.error(studentID: id))
                }
            } else if entry.key == "scales" {
                if let failure = decodeScales(entry.value, into: &parts) {
                    return .failure(failure.error(studentID: id))
                }
            } else if extraKeys.contains(entry.key) {
                continue
            } else if unknownNames == .ignore {
                parts.ignored.append(IgnoredNames.Name(.field, entry.key))
            } else {
                let expected = schema.fields.map(\.name) + ["events", "scales"]
                return .failure(
                    RecordError(
                        at: entry.keyLocation, studentID: id, field: entry.key,
                        "found the unknown field \"\(entry.key)\"; expected a field of the schema"
                            + Suggestion.hint(for: entry.key, in: expected)))
            }
        }
        if let failure = missingRequiredField(seen: seen, at: node.location) {
            return .failure(failure.error(studentID: id))
        }
        return .success(StudentRecord(id: id, location: node.location, parts: parts, schema: schema))
    }

    // MARK: One value

    /// The student id written in `value`, or the rejection of a record whose id is missing or malformed.
    func studentID(_ value: some RecordValue) -> Result<String, RecordError> {
        guard let id = value.scalar, !value.isNull, RecordCoercion.isValidID(id) else {
            return .failure(
                RecordError(
                    at: value.location, studentID: nil, field: "id",
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
            return Failure(location: value.location, field: field.name, message: message, sensitive: field.sensitive)
        }
        return nil
    }

    /// The first required field not seen, or the first case fact given without the fact it needs (a confirmed level
    /// without its date would be dropped, a crisis a person confirmed lost), as a failure at the record's place.
    func missingRequiredField(seen: [Bool], at location: SourceLocation) -> Failure? {
        for (index, field) in schema.fields.enumerated() where field.required && !seen[index] {
            return Failure(
                location: location, field: field.name,
                message: "found no value for the required field \(field.name); expected \(field.name): \(field.type)",
                sensitive: field.sensitive)
        }
        if let (fact, needs) = schema.caseFacts.missingCompanion(given: { seen[$0] }) {
            let field = schema.fields[fact]
            return Failure(
                location: location, field: field.name,
                message:
                    "found \(field.name) without \(schema.fields[needs].name); expected both (a confirmation counts from its date, a leave from its start)",
                sensitive: field.sensitive || schema.fields[needs].sensitive)
        }
        return nil
    }

    enum DecodedValue {
        case number(Double)
        case text(String)
    }

    enum ValueResult {
        case success(DecodedValue)
        case failure(String)
    }

    private func decodeValue(_ node: some RecordValue, _ field: Schema.Field) -> ValueResult {
        guard let text = node.scalar else {
            return .failure("found \(node.kindDescription); expected a single \(field.type) value")
        }
        // In JSON, text, dates and enumeration values are strings: a bare number or boolean is a mistake of type.
        if syntax == .json, !node.isQuotedScalar {
            switch field.type {
            case .text, .date, .enumeration:
                return .failure(
                    "found \(text) without quotes; expected \(field.type == .text ? "text" : field.type == .date ? "a date" : "one of the values") as a JSON string"
                )
            case .integer, .number, .boolean:
                break
            }
        }
        switch field.type {
        case .text:
            guard text.utf8.count <= RecordCoercion.maxTextBytes else {
                return .failure(
                    "found text of \(text.utf8.count) bytes; expected at most \(RecordCoercion.maxTextBytes)")
            }
            return .success(.text(text))
        case .integer, .number:
            let value: Double
            switch RecordCoercion.number(node, syntax: syntax, integer: field.type == .integer) {
            case .success(let number): value = number
            case .failure(let message): return .failure(message.text)
            }
            if let minimum = field.minimum, value < minimum {
                return .failure(
                    "found \(text), below the smallest value \(NumberText.format(minimum)); expected \(NumberText.format(minimum)) or more"
                )
            }
            if let maximum = field.maximum, value > maximum {
                return .failure(
                    "found \(text), above the largest value \(NumberText.format(maximum)); expected \(NumberText.format(maximum)) or less"
                )
            }
            return .success(.number(value))
        case .boolean:
            switch RecordCoercion.boolean(node, syntax: syntax, schema: schema) {
            case .success(let value): return .success(.number(value))
            case .failure(let message): return .failure(message.text)
            }
        case .date:
            guard let date = self.date(text) else {
                return .failure("found \(node.kindDescription); expected \(dateExpectation)")
            }
            return .success(.number(Double(date.dayNumber)))
        case .enumeration(let allowed, _):
            guard let index = allowed.firstIndex(of: text) else {
                return .failure(
                    "found \(node.kindDescription); expected one of: \(allowed.joined(separator: ", "))"
                        + Suggestion.hint(for: text, in: allowed))
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
                location: kindLocation, field: "events",
                message:
                    "found the unknown event kind \"\(kind)\"; expected one of: \(schema.eventKinds.map(\.name).joined(separator: ", "))"
                    + Suggestion.hint(for: kind, in: eventIndex.keys),
                sensitive: false)
        }
        sensitive = schema.eventKinds[index].sensitive
        guard let day = day(date) else {
            return Failure(
                location: date?.location ?? kindLocation, field: "events",
                message:
                    "found \(date?.kindDescription ?? "no date") for a \(kind) event; expected \(dateExpectation)",
                sensitive: sensitive)
        }
        // Only when the record holds that many events in all can one kind hold too many.
        if parts.eventKinds.count >= RecordCoercion.maxListLength,
            parts.eventKinds.count(where: { $0 == Int32(index) }) >= RecordCoercion.maxListLength
        {
            return Failure(
                location: kindLocation, field: "events",
                message: "found more than \(RecordCoercion.maxListLength) \(kind) events; expected fewer",
                sensitive: sensitive)
        }
        parts.addEvent(kind: index, day: day)
        return nil
    }

    /// `events: {kind: [dates]}` or `events: [{kind: …, date: …}]`.
    private func decodeEvents(_ node: YAMLNode, into parts: inout RecordParts) -> Failure? {
        if node.isNull { return nil }
        // Set by each event added: a refusal of the event's shape after an event of a sensitive kind counts as sensitive.
        var sensitive = false
        if let kinds = node.entries {
            for entry in kinds {
                let dates = entry.value.items ?? [entry.value]
                for dateNode in dates {
                    if let failure = addEvent(
                        kind: entry.key, at: entry.keyLocation, date: dateNode, to: &parts, sensitive: &sensitive)
                    {
                        return failure
                    }
                }
            }
            return nil
        }
        func failure(_ location: SourceLocation, _ message: String) -> Failure {
            Failure(location: location, field: "events", message: message, sensitive: sensitive)
        }
        guard let items = node.items else {
            return failure(
                node.location,
                "found \(node.kindDescription); expected a list of {kind, date} or a mapping of kinds to dates")
        }
        for item in items {
            guard let entries = item.entries, let kindEntry = entries.first(where: { $0.key == "kind" }),
                let kind = kindEntry.value.scalar
            else {
                return failure(item.location, "found \(item.kindDescription); expected an event {kind: …, date: …}")
            }
            if let unknown = entries.first(where: { !["kind", "date", "note"].contains($0.key) }) {
                return failure(
                    unknown.keyLocation,
                    "found the unknown key \"\(unknown.key)\" in an event; expected kind, date or note")
            }
            let date = entries.first(where: { $0.key == "date" })?.value
            if let failure = addEvent(
                kind: kind, at: kindEntry.value.location, date: date, to: &parts, sensitive: &sensitive)
            {
                return failure
            }
        }
        return nil
    }

    // MARK: Scale results

    /// `scales: [{scale, date, items: [...]}]` or `[{scale, date, scores: {...}, class: …}]`.
    private func decodeScales(_ node: YAMLNode, into parts: inout RecordParts) -> Failure? {
        if node.isNull { return nil }
        // Set by each result read: a refusal after a result of a sensitive scale counts as sensitive.
        var sensitive = false
        guard let items = node.items else {
            return Failure(
                location: node.location, field: "scales",
                message: "found \(node.kindDescription); expected a list of scale results", sensitive: sensitive)
        }
        for item in items {
            guard let entries = item.entries else {
                return Failure(
                    location: item.location, field: "scales",
                    message:
                        "found \(item.kindDescription); expected {scale, date, items} or {scale, date, scores, class}",
                    sensitive: sensitive)
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
                    return Failure(
                        location: entry.keyLocation, field: "scales",
                        message:
                            "found the unknown key \"\(entry.key)\" in a scale result; expected scale, date, items, scores or class",
                        sensitive: sensitive)
                }
            }
            if let failure = addScaleResult(result, to: &parts, sensitive: &sensitive) { return failure }
        }
        return nil
    }

    /// Adds one scale result to `parts`, or says why it is refused. `sensitive` is set to whether its scale is
    /// sensitive once the scale is known (and left as it was when the scale is not).
    func addScaleResult<Value: RecordValue>(
        _ result: ScaleResultInput<Value>, to parts: inout RecordParts, sensitive: inout Bool
    ) -> Failure? {
        func failure(_ location: SourceLocation, _ message: String) -> Failure {
            Failure(location: location, field: "scales", message: message, sensitive: sensitive)
        }
        guard let name = result.scale?.scalar, let index = scaleIndex[name] else {
            if unknownNames == .ignore, let name = result.scale?.scalar, result.scale?.isNull == false {
                parts.ignored.append(IgnoredNames.Name(.scale, name))
                return nil
            }
            let found = result.scale?.kindDescription ?? "no scale"
            return failure(
                result.scale?.location ?? result.location,
                "found \(found); expected one of the scales: \(schema.scales.map(\.name).joined(separator: ", "))")
        }
        let scale = schema.scales[index]
        sensitive = scale.sensitive
        guard let day = day(result.date) else {
            return failure(
                result.date?.location ?? result.location,
                "found \(result.date?.kindDescription ?? "no date") for \(name); expected \(dateExpectation)")
        }
        var itemsStart: Int?
        if let items = result.items {
            guard case .answers(let list, _) = items, list.count == scale.itemCount else {
                let found: String
                switch items {
                case .answers(let list, _): found = "\(list.count) answers"
                case .other(let value): found = value.kindDescription
                }
                return failure(items.location, "found \(found) for \(name); expected \(scale.itemCount) answers")
            }
            itemsStart = parts.items.count
            for (position, answer) in list.enumerated() {
                guard case .success(let value) = RecordCoercion.number(answer, syntax: syntax, integer: true),
                    RecordCoercion.isValidAnswer(value, of: scale)
                else {
                    return failure(
                        answer.location,
                        "found \(answer.kindDescription) as answer \(position + 1) of \(name); expected a whole number from \(NumberText.format(scale.minimumAnswer)) to \(NumberText.format(scale.maximumAnswer))"
                    )
                }
                parts.items.append(value)
            }
        }
        var scores = [Double](repeating: .nan, count: scale.scores.count)
        if let given = result.scores {
            if result.items != nil {
                return failure(
                    given.location,
                    "found both items and scores for \(name); expected one: scores are computed from items")
            }
            guard case .scores(let entries, _) = given else {
                return failure(
                    given.location, "found \(given.kindDescription); expected a mapping of score names to numbers")
            }
            for entry in entries {
                guard let scoreIndex = scale.scoreIndex(entry.name) else {
                    if unknownNames == .ignore {
                        parts.ignored.append(IgnoredNames.Name(.score, entry.name, within: name))
                        continue
                    }
                    return failure(
                        entry.at,
                        "found the unknown score \"\(entry.name)\" of \(name); expected one of: \(scale.scores.map(\.name).joined(separator: ", "))"
                    )
                }
                let range = scale.range(ofScore: scoreIndex)
                guard case .success(let value) = RecordCoercion.number(entry.value, syntax: syntax, integer: false),
                    range.contains(value)
                else {
                    return failure(
                        entry.value.location,
                        "found \(entry.value.kindDescription) for \(name).\(entry.name); expected a number from \(NumberText.format(range.lowerBound)) to \(NumberText.format(range.upperBound)), as its items allow"
                    )
                }
                scores[scoreIndex] = value
            }
        }
        var classIndex: Int32?
        if let classValue = result.classValue {
            if result.items != nil {
                return failure(
                    classValue.location,
                    "found both items and class for \(name); expected one: the class is computed from items")
            }
            guard let className = classValue.scalar, let found = scale.classNames.firstIndex(of: className) else {
                return failure(
                    classValue.location,
                    "found \(classValue.kindDescription) as the class of \(name); expected one of: \(scale.classNames.joined(separator: ", "))"
                )
            }
            classIndex = Int32(found)
        }
        if result.items == nil && result.scores == nil && result.classValue == nil {
            return failure(
                result.location, "found a \(name) result with no items, scores or class; expected one of them")
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
        return nil
    }
}

/// One scale result as a reader found it, for ``RecordDecoder/addScaleResult(_:to:sensitive:)``: each part that was
/// given, with where it was written.
struct ScaleResultInput<Value: RecordValue> {
    /// The item answers: a list, or what was written instead.
    enum Items {
        case answers([Value], at: SourceLocation)
        case other(Value)

        var location: SourceLocation {
            switch self {
            case .answers(_, let location): return location
            case .other(let value): return value.location
            }
        }
    }

    /// The scores given by name: a mapping, or what was written instead.
    enum Scores {
        case scores([(name: String, at: SourceLocation, value: Value)], at: SourceLocation)
        case other(Value)

        var location: SourceLocation {
            switch self {
            case .scores(_, let location): return location
            case .other(let value): return value.location
            }
        }

        var kindDescription: String {
            switch self {
            case .scores: return "a mapping"
            case .other(let value): return value.kindDescription
            }
        }
    }

    /// Where the result is: its mapping, or its row.
    var location: SourceLocation
    var scale: Value?
    var date: Value?
    var items: Items?
    var scores: Scores?
    var classValue: Value?
}
