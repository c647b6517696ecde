/// Splits a condition into tokens, keeping each token's offset.
struct ExpressionLexer {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case duration(Double)
        /// A number of calendar months (`3m`): a whole number from 1 to ``ExpressionLexer/maximumMonths``.
        case months(Int)
        case date(Int)
        case string(String)
        case identifier(String)
        case symbol(String)
        case end
    }

    struct Token: Sendable {
        var kind: Kind
        var offset: Int
    }

    /// The longest window in calendar months: 100 years.
    static let maximumMonths = 1200

    static func tokenize(_ text: String) throws(ExpressionSyntaxError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
            s == "_" || s.properties.isAlphabetic
        }
        func isIdentifierPart(_ s: Unicode.Scalar) -> Bool { isIdentifierStart(s) || isDigit(s) }

        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                index += 1
                continue
            }
            if isDigit(scalar) {
                // A date: exactly YYYY-MM-DD.
                if index + 10 <= scalars.count {
                    let candidate = String(String.UnicodeScalarView(scalars[index..<index + 10]))
                    let followedByIdentifier = index + 10 < scalars.count && isIdentifierPart(scalars[index + 10])
                    if !followedByIdentifier, let date = CivilDate(iso: candidate) {
                        tokens.append(Token(kind: .date(date.dayNumber), offset: start))
                        index += 10
                        continue
                    }
                    if candidate.utf8.count == 10, candidate.dropFirst(4).first == "-",
                        candidate.dropFirst(7).first == "-", candidate.prefix(4).allSatisfy(\.isNumber)
                    {
                        throw ExpressionSyntaxError(
                            code: .expressionSyntax,
                            offset: start,
                            message: "found the date \(candidate), which does not exist or is outside 1900–2200")
                    }
                }
                var text = ""
                while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "." {
                    text.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard let value = Double(text), value.isFinite, text.filter({ $0 == "." }).count <= 1,
                    value <= 1e12
                else {
                    throw ExpressionSyntaxError(
                        code: .expressionSyntax, offset: start, message: "found \"\(text)\"; expected a number")
                }
                // Units: 30d (days), 2w (weeks), 3m (calendar months).
                if index < scalars.count, isIdentifierStart(scalars[index]) {
                    var unit = ""
                    while index < scalars.count, isIdentifierPart(scalars[index]) {
                        unit.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    switch unit {
                    case "d", "days", "day": tokens.append(Token(kind: .duration(value), offset: start))
                    case "w", "weeks", "week": tokens.append(Token(kind: .duration(value * 7), offset: start))
                    case "m", "months", "month":
                        guard value >= 1, value <= Double(Self.maximumMonths), value == value.rounded() else {
                            throw ExpressionSyntaxError(
                                code: .expressionSyntax,
                                offset: start,
                                message:
                                    "found \"\(text)\(unit)\"; expected a whole number of months from 1 to \(Self.maximumMonths), such as 3m"
                            )
                        }
                        tokens.append(Token(kind: .months(Int(value)), offset: start))
                    default:
                        throw ExpressionSyntaxError(
                            code: .expressionSyntax,
                            offset: start,
                            message:
                                "found \"\(text)\(unit)\"; expected a number, or a duration such as 30d, 2w or 3m")
                    }
                    continue
                }
                tokens.append(Token(kind: .number(value), offset: start))
                continue
            }
            if isIdentifierStart(scalar) {
                var name = ""
                while index < scalars.count, isIdentifierPart(scalars[index]) {
                    name.unicodeScalars.append(scalars[index])
                    index += 1
                }
                tokens.append(Token(kind: .identifier(name), offset: start))
                continue
            }
            if scalar == "\"" || scalar == "'" {
                index += 1
                var value = ""
                while index < scalars.count, scalars[index] != scalar {
                    value.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count else {
                    throw ExpressionSyntaxError(
                        code: .expressionSyntax,
                        offset: start, message: "found a string that is never closed; expected \(scalar)")
                }
                index += 1
                tokens.append(Token(kind: .string(value), offset: start))
                continue
            }
            let two = index + 1 < scalars.count ? String(scalar) + String(scalars[index + 1]) : ""
            if ["==", "!=", "<=", ">="].contains(two) {
                tokens.append(Token(kind: .symbol(two), offset: start))
                index += 2
                continue
            }
            if "<>+-*/()[],.".unicodeScalars.contains(scalar) {
                tokens.append(Token(kind: .symbol(String(scalar)), offset: start))
                index += 1
                continue
            }
            if scalar == "=" {
                throw ExpressionSyntaxError(
                    code: .expressionSyntax, offset: start, message: "found \"=\"; expected \"==\" to compare")
            }
            if scalar == "&" || scalar == "|" || scalar == "!" {
                let word = scalar == "&" ? "and" : scalar == "|" ? "or" : "not"
                throw ExpressionSyntaxError(
                    code: .expressionSyntax,
                    offset: start, message: "found \"\(scalar)\"; expected the word \"\(word)\"")
            }
            throw ExpressionSyntaxError(
                code: .expressionSyntax,
                offset: start, message: "found the character \"\(scalar)\"; expected a name, number or operator")
        }
        tokens.append(Token(kind: .end, offset: scalars.count))
        return tokens
    }
}
