public import RiskScreenRules
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Builds a student record in code, for a program that holds its students in memory or a database.
///
/// Every value is checked against the rule set's schema with the checks the readers use, and a refusal is the
/// ``RecordError`` a reader would give for the same value in a JSON record, placed at the line of your code that
/// gave it:
///
/// ```swift
/// var builder = try RecordBuilder(id: "S0001", schema: rules.schema)
/// try builder.set("college", "Engineering")
/// try builder.set("failed_courses", 2)
/// try builder.addEvent("night_absence", on: CivilDate(iso: "2026-11-20")!)
/// try builder.addScaleResult("PHQ-9", on: CivilDate(iso: "2026-11-10")!, items: [1, 1, 2, 1, 0, 1, 1, 0, 0])
/// let record = try builder.build()       // refuses a record without its required fields
/// ```
///
/// Setting a field again replaces its value (a refused value leaves the earlier one); events and scale results add
/// up, as a record file lists them.
public struct RecordBuilder: Sendable {
    /// The student's id.
    public let id: String
    private let schema: Schema
    private let decoder: RecordDecoder
    private let fieldIndex: [String: Int]
    private let location: SourceLocation
    private var parts = RecordParts()
    private var seen: [Bool]

    /// Starts a record for the student `id` under `schema`; throws when the id is not one a reader accepts (1 to
    /// 64 characters, no control or bidi characters).
    public init(
        id: String, schema: Schema, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        let location = SourceLocation(file: file, line: line, column: column)
        let decoder = RecordDecoder(schema: schema, syntax: .json)
        if case .failure(let error) = decoder.studentID(BuiltValue(text: id, quoted: true, at: location)) {
            throw error
        }
        self.id = id
        self.schema = schema
        self.decoder = decoder
        self.location = location
        fieldIndex = Dictionary(schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        seen = [Bool](repeating: false, count: schema.fields.count)
        parts.reset(for: schema)
    }

    /// Sets a `boolean` field.
    public mutating func set(
        _ field: String, _ value: Bool, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        try set(field, BuiltValue(text: value ? "true" : "false", quoted: false, at: .init(file, line, column)))
    }

    /// Sets an `integer` or `number` field.
    public mutating func set(
        _ field: String, _ value: Double, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        try set(field, BuiltValue(number: value, at: .init(file, line, column)))
    }

    /// Sets an `integer` or `number` field.
    public mutating func set(
        _ field: String, _ value: Int, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        try set(field, BuiltValue(text: String(value), quoted: false, at: .init(file, line, column)))
    }

    /// Sets a `text` field or an enumeration (by one of its values).
    public mutating func set(
        _ field: String, _ value: String, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        try set(field, BuiltValue(text: value, quoted: true, at: .init(file, line, column)))
    }

    /// Sets a `date` field.
    public mutating func set(
        _ field: String, _ value: CivilDate, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        try set(field, BuiltValue(text: value.description, quoted: true, at: .init(file, line, column)))
    }

    /// Adds one event of `kind` on `date`.
    public mutating func addEvent(
        _ kind: String, on date: CivilDate, file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        let at = SourceLocation(file, line, column)
        var sensitive = false
        if let failure = decoder.addEvent(
            kind: kind, at: at, date: BuiltValue(text: date.description, quoted: true, at: at), to: &parts,
            sensitive: &sensitive)
        {
            throw failure.error(studentID: id)
        }
    }

    /// Adds a scale result by its item answers, in item order (the scale's classes and scores are worked out from
    /// them, as from a record file's `items:`).
    public mutating func addScaleResult(
        _ scale: String, on date: CivilDate, items: [Double], file: String = #fileID, line: Int = #line,
        column: Int = #column
    ) throws(RecordError) {
        let at = SourceLocation(file, line, column)
        var result = ScaleResultInput<BuiltValue>(location: at)
        result.scale = BuiltValue(text: scale, quoted: true, at: at)
        result.date = BuiltValue(text: date.description, quoted: true, at: at)
        result.items = .answers(items.map { BuiltValue(number: $0, at: at) }, at: at)
        try add(result)
    }

    /// Adds a scale result by its scores, as the scale's `scores:` name them, with its class when known (a
    /// record file's `scores:` and `class:`).
    public mutating func addScaleResult(
        _ scale: String, on date: CivilDate, scores: KeyValuePairs<String, Double>, class resultClass: String? = nil,
        file: String = #fileID, line: Int = #line, column: Int = #column
    ) throws(RecordError) {
        let at = SourceLocation(file, line, column)
        var named = Set<String>()
        for (name, _) in scores where !named.insert(name).inserted {
            // As a JSON record's reader refuses `"scores": {"total": 3, "total": 4}`.
            throw RecordError(
                .duplicateKey, at: at, studentID: id, field: "scales",
                "found the key \"\(name)\" a second time; expected each key once")
        }
        var result = ScaleResultInput<BuiltValue>(location: at)
        result.scale = BuiltValue(text: scale, quoted: true, at: at)
        result.date = BuiltValue(text: date.description, quoted: true, at: at)
        result.scores = .scores(
            scores.map { (name: $0.key, at: at, value: BuiltValue(number: $0.value, at: at)) }, at: at)
        result.classValue = resultClass.map { BuiltValue(text: $0, quoted: true, at: at) }
        try add(result)
    }

    /// The record; throws when a required field was not set, or a case fact lacks the fact it needs, as a reader
    /// would for the same record.
    public func build() throws(RecordError) -> StudentRecord {
        var failures = RecordDecoder.Failures()
        decoder.missingRequiredFields(seen: seen, at: location, failures: &failures)
        if let rejection = failures.rejection(studentID: id) { throw rejection }
        return StudentRecord(id: id, location: location, parts: parts, schema: schema)
    }

    private mutating func set(_ name: String, _ value: BuiltValue) throws(RecordError) {
        guard let index = fieldIndex[name] else {
            throw RecordError(
                .unknownField, at: value.location, studentID: id, field: name,
                "found the unknown field \"\(name)\"; expected a field of the schema"
                    + Suggestion.hint(for: name, in: schema.fields.map(\.name)))
        }
        // A refused value leaves the field as it was: set (to its earlier value) or not, so that build() still
        // refuses a record whose required field was never given a value it accepts.
        let wasSeen = seen[index]
        if let failure = decoder.setField(index, value, parts: &parts, seen: &seen) {
            seen[index] = wasSeen
            throw failure.error(studentID: id)
        }
    }

    private mutating func add(_ result: ScaleResultInput<BuiltValue>) throws(RecordError) {
        var sensitive = false
        var failures = RecordDecoder.Failures()
        decoder.addScaleResult(result, to: &parts, sensitive: &sensitive, failures: &failures)
        if let rejection = failures.rejection(studentID: id) { throw rejection }
    }
}

extension SourceLocation {
    /// A place in the caller's code (`#fileID`, `#line`, `#column`).
    fileprivate init(_ file: String, _ line: Int, _ column: Int) {
        self.init(file: file, line: line, column: column)
    }
}

/// A value given in code, seen by the readers' checks as the same value in a JSON record: numbers and booleans bare,
/// texts and dates as strings.
private struct BuiltValue: RecordValue, Sendable {
    let scalar: String?
    let isQuotedScalar: Bool
    let location: SourceLocation

    init(text: String, quoted: Bool, at location: SourceLocation) {
        (scalar, isQuotedScalar, self.location) = (text, quoted, location)
    }

    /// A number as JSON writes it: whole numbers without a fraction, others in full (NaN and infinities as text a
    /// number check refuses).
    init(number: Double, at location: SourceLocation) {
        let text: String
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            text = String(Int64(number))
        } else {
            text = "\(number)"
        }
        self.init(text: text, quoted: false, at: location)
    }

    var isNull: Bool { false }
    var kindDescription: String {
        YAMLNode.kindDescription(scalar: scalar ?? "", quoted: isQuotedScalar)
    }
}
