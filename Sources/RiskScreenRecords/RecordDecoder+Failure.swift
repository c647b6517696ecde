internal import RiskScreenSupport

extension RecordDecoder {
    /// Why a value, event or scale result is refused: where, the field (or `events`, `scales`) and what was found and
    /// expected; `sensitive` when the message reveals a sensitive fact.
    struct Failure: Error {
        var code: RecordError.Code
        var location: SourceLocation
        var field: String
        var message: String
        var sensitive: Bool

        /// This failure as one error of the record of `studentID`.
        func error(studentID: String) -> RecordError {
            RecordError(
                code, at: location, studentID: studentID, field: field, message, revealsSensitive: sensitive)
        }
    }

    /// The failures of one record, in the order found: the first ``RecordError/maxListed`` kept, the rest counted.
    /// Empty, it allocates nothing.
    struct Failures {
        private(set) var kept: [Failure] = []
        private(set) var omitted = 0

        var isEmpty: Bool { kept.isEmpty }

        /// How many failures were found, kept or not.
        var count: Int { kept.count + omitted }

        mutating func append(_ failure: Failure) {
            if kept.count < RecordError.maxListed {
                kept.append(failure)
            } else {
                omitted += 1
            }
        }

        mutating func append(_ failure: Failure?) {
            if let failure { append(failure) }
        }

        mutating func append(contentsOf other: Failures) {
            for failure in other.kept { append(failure) }
            omitted += other.omitted
        }

        /// The rejection of the record of `studentID` listing every failure (nil when there is none).
        func rejection(studentID: String) -> RecordError? {
            if kept.isEmpty { return nil }
            return RecordError(listing: kept.map { $0.error(studentID: studentID) }, omitted: omitted)
        }
    }

    /// The code of a number refused for being outside its range, or of one refused before that (not a number).
    static func rangeCode(_ number: Result<Double, RecordCoercion.Message>) -> RecordError.Code {
        if case .failure(let message) = number { return message.code }
        return .outOfRange
    }

    /// The code of a scale result's items refused: a list of the wrong length, or no list.
    static func countCode<Value>(_ items: ScaleResultInput<Value>.Items) -> RecordError.Code {
        if case .answers = items { return .wrongCount }
        return .typeMismatch
    }
}
