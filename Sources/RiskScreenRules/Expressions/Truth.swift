/// The value of a condition under missing data: true, false, or unknown (a value it needs is missing).
///
/// `and`, `or` and `not` follow Kleene's three-valued logic, so a missing value never makes an
/// indicator fire, and `not` of an unknown stays unknown.
package enum Truth: UInt8, Sendable, Hashable {
    /// The condition does not hold.
    case `false`
    /// The condition holds.
    case `true`
    /// A value the condition needs is missing.
    case unknown

    init(_ value: Bool) { self = value ? .true : .false }

    static prefix func ! (value: Truth) -> Truth {
        switch value {
        case .true: return .false
        case .false: return .true
        case .unknown: return .unknown
        }
    }
}

extension Truth {
    /// The truth a compiled condition left: 1 true, 0 false, anything else (0.5) unknown.
    init(encoded value: Double) {
        self = value == 1 ? .true : (value == 0 ? .false : .unknown)
    }

    /// This truth as compiled code encodes it.
    var encoded: Double {
        switch self {
        case .true: return 1
        case .false: return 0
        case .unknown: return 0.5
        }
    }
}
