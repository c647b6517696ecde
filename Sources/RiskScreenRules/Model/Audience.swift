/// Who a result is produced for, and so what it may show (002 §一(四)1 confidentiality).
///
/// Every result the library gives a caller is produced for an audience. Without one, it is
/// ``leastPrivileged``: what a role that sees no sensitive facts may see. A role of the rule set (``RuleSet/role(named:)``)
/// sees what that role may see; ``fullView`` shows everything and says so in its name: for the centre's own records,
/// never for a screen or a message a role without the right to sensitive facts may read.
public struct Audience: Sendable, Hashable, CustomStringConvertible {
    /// True when the audience sees sensitive facts.
    public let seesSensitive: Bool
    /// The role's id, or `full_view` and `least_privileged` for the two audiences that are not a role.
    public let id: String

    private init(id: String, seesSensitive: Bool) {
        self.id = id
        self.seesSensitive = seesSensitive
    }

    /// The view for a role of the rule set: sensitive facts only when the role may see them.
    public static func role(_ role: Role) -> Audience {
        Audience(id: role.id, seesSensitive: role.seesSensitive)
    }

    /// What a role that sees no sensitive facts may see: the default wherever no audience is given.
    public static let leastPrivileged = Audience(id: "least_privileged", seesSensitive: false)

    /// Everything, sensitive facts included: for the centre's own records and for code that decides per role later
    /// (``Role``); never shown as it is to a role that may not see sensitive facts.
    public static let fullView = Audience(id: "full_view", seesSensitive: true)

    /// The audience's id.
    public var description: String { id }
}
