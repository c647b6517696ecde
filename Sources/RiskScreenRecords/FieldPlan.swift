internal import RiskScreenRules

/// What reading a field's value straight from bytes needs, as plain values: looking it up copies no strings or
/// arrays. The fast paths of the JSON Lines and CSV readers share it.
struct FieldPlan: Sendable {
    enum Kind { case text, integer, number, boolean, date, enumeration }
    var kind: Kind
    var slot: Int
    var minimum: Double
    var maximum: Double

    init(_ field: Schema.Field) {
        switch field.type {
        case .text: kind = .text
        case .integer: kind = .integer
        case .number: kind = .number
        case .boolean: kind = .boolean
        case .date: kind = .date
        case .enumeration: kind = .enumeration
        }
        slot = field.slot
        minimum = field.minimum ?? -.infinity
        maximum = field.maximum ?? .infinity
    }
}

extension ByteKeyTable {
    /// Every enumeration's values of `schema`, grouped by field index: a value's index is its place among its field's.
    init(enumerationValuesOf schema: Schema) {
        var names: [String] = []
        var groups: [Int] = []
        for (index, field) in schema.fields.enumerated() {
            guard case .enumeration(let values, _) = field.type else { continue }
            names += values
            groups += repeatElement(index, count: values.count)
        }
        self.init(names, groups: groups, indexWithinGroup: true)
    }
}
