package import RiskScreenRules
internal import RiskScreenSupport
package import RiskScreenYAML

/// Turns one record node (from YAML, JSON or CSV) into a ``StudentRecord``, checking every value against the schema.
package struct RecordDecoder: Sendable {
    let schema: Schema
    /// Keys a record may carry beside its fields (for example a fixture's `expect` and `why`).
    let extraKeys: Set<String>
    /// How the reader's values are written: JSON's typed values or YAML's and CSV's text.
    let syntax: RecordCoercion.Syntax
    private let fieldIndex: [String: Int]
    private let eventIndex: [String: Int]
    private let scaleIndex: [String: Int]

    package init(schema: Schema, syntax: RecordCoercion.Syntax, extraKeys: Set<String> = []) {
        self.schema = schema
        self.syntax = syntax
        self.extraKeys = extraKeys
        fieldIndex = Dictionary(schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        eventIndex = Dictionary(schema.eventKinds.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
        scaleIndex = Dictionary(schema.scales.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
    }

    package func decode(_ node: YAMLNode) -> Result<StudentRecord, RecordError> {
        guard let entries = node.entries else {
            return .failure(RecordError(at: node.location, studentID: nil, field: nil, "found \(node.kindDescription); expected a student record (a mapping with id and fields)"))
        }
        guard let idEntry = entries.first(where: { $0.key == "id" }) else {
            return .failure(RecordError(at: node.location, studentID: nil, field: "id", "found a record without id; expected id: STUDENT-ID"))
        }
        if syntax == .json, case .scalar(let bare, quoted: false) = idEntry.value.content, !idEntry.value.isNull {
            return .failure(
                RecordError(at: idEntry.value.location, studentID: nil, field: "id", "found \(bare) without quotes; expected the student id as a JSON string, such as \"\(bare)\""))
        }
        guard let id = idEntry.value.scalar, !idEntry.value.isNull, !id.isEmpty, id.count <= RecordCoercion.maxIDLength,
            !PrintableText.needsEscape(id)
        else {
            return .failure(
                RecordError(at: idEntry.value.location, studentID: nil, field: "id", "found \(idEntry.value.kindDescription); expected a student id of 1 to \(RecordCoercion.maxIDLength) characters, with no control or bidi characters"))
        }
        var values = [Double](repeating: .nan, count: schema.valueSlotCount)
        var texts = [String?](repeating: nil, count: schema.textSlotCount)
        var events = [[Int32]](repeating: [], count: schema.eventKinds.count)
        var scales = [[ScaleResult]](repeating: [], count: schema.scales.count)
        var seen = [Bool](repeating: false, count: schema.fields.count)
        func failure(_ at: SourceLocation, _ field: String?, _ message: String, sensitive: Bool = false) -> Result<StudentRecord, RecordError> {
            .failure(RecordError(at: at, studentID: id, field: field, message, revealsSensitive: sensitive))
        }
        for entry in entries where entry.key != "id" {
            if let index = fieldIndex[entry.key] {
                let field = schema.fields[index]
                seen[index] = !entry.value.isNull
                if entry.value.isNull { continue }
                switch decodeValue(entry.value, field) {
                case .success(let value):
                    if case .text = field.type { texts[field.slot] = value.text } else { values[field.slot] = value.number }
                case .failure(let message):
                    return failure(entry.value.location, entry.key, message, sensitive: field.sensitive)
                }
            } else if entry.key == "events" {
                var sensitive = false
                if let error = decodeEvents(entry.value, into: &events, sensitive: &sensitive) {
                    return failure(error.0, error.1, error.2, sensitive: sensitive)
                }
            } else if entry.key == "scales" {
                var sensitive = false
                if let error = decodeScales(entry.value, into: &scales, sensitive: &sensitive) {
                    return failure(error.0, error.1, error.2, sensitive: sensitive)
                }
            } else if !extraKeys.contains(entry.key) {
                let expected = schema.fields.map(\.name) + ["events", "scales"]
                return failure(
                    entry.keyLocation, entry.key,
                    "found the unknown field \"\(entry.key)\"; expected a field of the schema" + Suggestion.hint(for: entry.key, in: expected))
            }
        }
        for (index, field) in schema.fields.enumerated() where field.required && !seen[index] {
            return failure(
                node.location, field.name, "found no value for the required field \(field.name); expected \(field.name): \(field.type)",
                sensitive: field.sensitive)
        }
        for index in events.indices { events[index].sort() }
        for index in scales.indices { scales[index].sort { $0.day < $1.day } }
        return .success(StudentRecord(id: id, location: node.location, values: values, texts: texts, events: events, scales: scales))
    }

    enum DecodedValue {
        case number(Double)
        case text(String)
        var number: Double { if case .number(let value) = self { return value } else { return .nan } }
        var text: String? { if case .text(let value) = self { return value } else { return nil } }
    }

    enum ValueResult {
        case success(DecodedValue)
        case failure(String)
    }

    private func decodeValue(_ node: YAMLNode, _ field: Schema.Field) -> ValueResult {
        guard let text = node.scalar else {
            return .failure("found \(node.kindDescription); expected a single \(field.type) value")
        }
        // In JSON, text, dates and enumeration values are strings: a bare number or boolean is a mistake of type.
        if syntax == .json, case .scalar(_, quoted: false) = node.content {
            switch field.type {
            case .text, .date, .enumeration:
                return .failure("found \(text) without quotes; expected \(field.type == .text ? "text" : field.type == .date ? "a date" : "one of the values") as a JSON string")
            case .integer, .number, .boolean:
                break
            }
        }
        switch field.type {
        case .text:
            guard text.utf8.count <= RecordCoercion.maxTextBytes else {
                return .failure("found text of \(text.utf8.count) bytes; expected at most \(RecordCoercion.maxTextBytes)")
            }
            return .success(.text(text))
        case .integer, .number:
            let value: Double
            switch RecordCoercion.number(node, syntax: syntax, integer: field.type == .integer) {
            case .success(let number): value = number
            case .failure(let message): return .failure(message.text)
            }
            if let minimum = field.minimum, value < minimum {
                return .failure("found \(text), below the smallest value \(NumberText.format(minimum)); expected \(NumberText.format(minimum)) or more")
            }
            if let maximum = field.maximum, value > maximum {
                return .failure("found \(text), above the largest value \(NumberText.format(maximum)); expected \(NumberText.format(maximum)) or less")
            }
            return .success(.number(value))
        case .boolean:
            switch RecordCoercion.boolean(node, syntax: syntax, schema: schema) {
            case .success(let value): return .success(.number(value))
            case .failure(let message): return .failure(message.text)
            }
        case .date:
            guard let date = CivilDate(iso: text) else {
                return .failure("found \(node.kindDescription); expected \(CivilDate.expectation)")
            }
            return .success(.number(Double(date.dayNumber)))
        case .enumeration(let allowed):
            guard let index = allowed.firstIndex(of: text) else {
                return .failure("found \(node.kindDescription); expected one of: \(allowed.joined(separator: ", "))" + Suggestion.hint(for: text, in: allowed))
            }
            return .success(.number(Double(index)))
        }
    }

    private func date(_ node: YAMLNode?) -> Int32? {
        guard let text = node?.scalar, let date = CivilDate(iso: text) else { return nil }
        return Int32(date.dayNumber)
    }

    /// `events: {kind: [dates]}` or `events: [{kind: …, date: …}]`.
    /// `sensitive` is set when the failing event is of a sensitive kind.
    private func decodeEvents(_ node: YAMLNode, into events: inout [[Int32]], sensitive: inout Bool) -> (SourceLocation, String, String)? {
        if node.isNull { return nil }
        func add(kind: String, kindLocation: SourceLocation, dateNode: YAMLNode?) -> (SourceLocation, String, String)? {
            guard let index = eventIndex[kind] else {
                sensitive = false
                return (kindLocation, "events", "found the unknown event kind \"\(kind)\"; expected one of: \(schema.eventKinds.map(\.name).joined(separator: ", "))" + Suggestion.hint(for: kind, in: eventIndex.keys))
            }
            sensitive = schema.eventKinds[index].sensitive
            guard let day = date(dateNode) else {
                return (dateNode?.location ?? kindLocation, "events", "found \(dateNode?.kindDescription ?? "no date") for a \(kind) event; expected \(CivilDate.expectation)")
            }
            if events[index].count >= RecordCoercion.maxListLength {
                return (kindLocation, "events", "found more than \(RecordCoercion.maxListLength) \(kind) events; expected fewer")
            }
            events[index].append(day)
            return nil
        }
        if let kinds = node.entries {
            for entry in kinds {
                let dates = entry.value.items ?? [entry.value]
                for dateNode in dates {
                    if let error = add(kind: entry.key, kindLocation: entry.keyLocation, dateNode: dateNode) { return error }
                }
            }
            return nil
        }
        guard let items = node.items else {
            return (node.location, "events", "found \(node.kindDescription); expected a list of {kind, date} or a mapping of kinds to dates")
        }
        for item in items {
            guard let entries = item.entries, let kindEntry = entries.first(where: { $0.key == "kind" }), let kind = kindEntry.value.scalar else {
                return (item.location, "events", "found \(item.kindDescription); expected an event {kind: …, date: …}")
            }
            if let unknown = entries.first(where: { !["kind", "date", "note"].contains($0.key) }) {
                return (unknown.keyLocation, "events", "found the unknown key \"\(unknown.key)\" in an event; expected kind, date or note")
            }
            if let error = add(kind: kind, kindLocation: kindEntry.value.location, dateNode: entries.first(where: { $0.key == "date" })?.value) {
                return error
            }
        }
        return nil
    }

    /// `scales: [{scale, date, items: [...]}]` or `[{scale, date, scores: {...}, class: …}]`.
    /// `sensitive` is set when the failing result is of a sensitive scale.
    private func decodeScales(_ node: YAMLNode, into scales: inout [[ScaleResult]], sensitive: inout Bool) -> (SourceLocation, String, String)? {
        if node.isNull { return nil }
        guard let items = node.items else {
            return (node.location, "scales", "found \(node.kindDescription); expected a list of scale results")
        }
        for item in items {
            guard let entries = item.entries else {
                return (item.location, "scales", "found \(item.kindDescription); expected {scale, date, items} or {scale, date, scores, class}")
            }
            var byKey: [String: YAMLNode] = [:]
            for entry in entries {
                guard ["scale", "date", "items", "scores", "class"].contains(entry.key) else {
                    return (entry.keyLocation, "scales", "found the unknown key \"\(entry.key)\" in a scale result; expected scale, date, items, scores or class")
                }
                byKey[entry.key] = entry.value
            }
            guard let name = byKey["scale"]?.scalar, let index = scaleIndex[name] else {
                let found = byKey["scale"]?.kindDescription ?? "no scale"
                return (byKey["scale"]?.location ?? item.location, "scales", "found \(found); expected one of the scales: \(schema.scales.map(\.name).joined(separator: ", "))")
            }
            let scale = schema.scales[index]
            sensitive = scale.sensitive
            guard let day = date(byKey["date"]) else {
                return (byKey["date"]?.location ?? item.location, "scales", "found \(byKey["date"]?.kindDescription ?? "no date") for \(name); expected \(CivilDate.expectation)")
            }
            var answers: [Double] = []
            var scores = [Double](repeating: .nan, count: scale.scores.count)
            if let itemsNode = byKey["items"] {
                guard let list = itemsNode.items, list.count == scale.itemCount else {
                    return (itemsNode.location, "scales", "found \(itemsNode.items.map { "\($0.count) answers" } ?? itemsNode.kindDescription) for \(name); expected \(scale.itemCount) answers")
                }
                for (position, answer) in list.enumerated() {
                    guard case .success(let value) = RecordCoercion.number(answer, syntax: syntax, integer: true),
                        RecordCoercion.isValidAnswer(value, of: scale)
                    else {
                        return (answer.location, "scales", "found \(answer.kindDescription) as answer \(position + 1) of \(name); expected a whole number from \(NumberText.format(scale.minimumAnswer)) to \(NumberText.format(scale.maximumAnswer))")
                    }
                    answers.append(value)
                }
                scores = scale.computeScores(items: answers)
            }
            if let scoresNode = byKey["scores"] {
                if byKey["items"] != nil {
                    return (scoresNode.location, "scales", "found both items and scores for \(name); expected one: scores are computed from items")
                }
                guard let given = scoresNode.entries else {
                    return (scoresNode.location, "scales", "found \(scoresNode.kindDescription); expected a mapping of score names to numbers")
                }
                for entry in given {
                    guard let scoreIndex = scale.scoreIndex(entry.key) else {
                        return (entry.keyLocation, "scales", "found the unknown score \"\(entry.key)\" of \(name); expected one of: \(scale.scores.map(\.name).joined(separator: ", "))")
                    }
                    let range = scale.range(ofScore: scoreIndex)
                    guard case .success(let value) = RecordCoercion.number(entry.value, syntax: syntax, integer: false), range.contains(value)
                    else {
                        return (entry.value.location, "scales", "found \(entry.value.kindDescription) for \(name).\(entry.key); expected a number from \(NumberText.format(range.lowerBound)) to \(NumberText.format(range.upperBound)), as its items allow")
                    }
                    scores[scoreIndex] = value
                }
            }
            var classIndex: Int32
            if let classNode = byKey["class"] {
                if byKey["items"] != nil {
                    return (classNode.location, "scales", "found both items and class for \(name); expected one: the class is computed from items")
                }
                guard let className = classNode.scalar, let found = scale.classNames.firstIndex(of: className) else {
                    return (classNode.location, "scales", "found \(classNode.kindDescription) as the class of \(name); expected one of: \(scale.classNames.joined(separator: ", "))")
                }
                classIndex = Int32(found)
            } else {
                classIndex = scale.classify(scores: scores, items: answers)
            }
            if byKey["items"] == nil && byKey["scores"] == nil && byKey["class"] == nil {
                return (item.location, "scales", "found a \(name) result with no items, scores or class; expected one of them")
            }
            scales[index].append(ScaleResult(day: day, scores: scores, items: answers, classIndex: classIndex))
        }
        return nil
    }
}
