/// A dimension indicators belong to: one of the rule set's `dimensions:`, or when it declares none, the eight after
/// 000 §四(二)'s four (可感, 可查, 可知, 可控) and 003 方案2's history and clinical groups (``standard``).
///
/// A dimension holds either risk indicators or protective factors (``holdsProtectiveFactors``, `protective: true`),
/// never both; `fired_count(DIMENSION)` counts the risk indicators of one.
public struct Dimension: Sendable, Hashable {
    /// Its id, as `dimension:` and `fired_count` write it.
    public let id: String
    /// Chinese and English labels.
    public let label: Label
    /// True when it holds protective factors (`protective:`) rather than risk indicators.
    public let holdsProtectiveFactors: Bool
    /// True when its indicators are red flags (`red_flag: true`): an explanation shows them first among the
    /// indicators that nearly fired.
    public let isRedFlag: Bool

    /// A dimension of these parts.
    package init(id: String, label: Label, holdsProtectiveFactors: Bool = false, isRedFlag: Bool = false) {
        self.id = id
        self.label = label
        self.holdsProtectiveFactors = holdsProtectiveFactors
        self.isRedFlag = isRedFlag
    }

    /// The dimensions of a rule set that declares none.
    public static let standard: [Dimension] = [
        // 可感: what dorm mates and teachers can observe.
        Dimension(id: "observable", label: Label(zh: "可感", en: "Observable")),
        // 可查: what records show (academic warnings, discipline, time nodes).
        Dimension(id: "checkable", label: Label(zh: "可查", en: "Checkable")),
        // 可知: what talks and files reveal (family, economy, scale results).
        Dimension(id: "knowable", label: Label(zh: "可知", en: "Knowable")),
        // 可控: protective factors that lower risk.
        Dimension(id: "controllable", label: Label(zh: "可控", en: "Controllable"), holdsProtectiveFactors: true),
        // Time nodes (时间节点): the pressure points of the academic year, which weigh on a student already at risk.
        Dimension(id: "time_node", label: Label(zh: "时间节点", en: "Time node")),
        // History: prior attempts, suicide in the family, earlier leave.
        Dimension(id: "history", label: Label(zh: "既往史", en: "History")),
        // Clinical: diagnosis, medication, treatment.
        Dimension(id: "clinical", label: Label(zh: "临床", en: "Clinical")),
        // Red flags: self-harm or harm to others, as an act, a tendency or a risk.
        Dimension(id: "red_flag", label: Label(zh: "红色警报", en: "Red flag"), isRedFlag: true),
    ]
}
