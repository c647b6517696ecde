/// The texts a rule set prints around its results: the notice shown with every assessment and summary, and what an
/// explanation or table prints for an empty route and for `parents: no` (`ruleset: notice:` and `level_defaults:`).
public struct RuleSetTexts: Sendable, Hashable {
    /// The notice a rule set shows when it declares none.
    public static let defaultNotice =
        "筛查结果，须经辅导员核实，不是诊断。Screening result for a counsellor to verify; not a diagnosis."

    /// Shown with every assessment, summary and diff: what the result is and is not.
    public let notice: String
    /// Printed for an empty route (`route_none:`); nil prints `none` in explanations and `—` in tables.
    public let routeNone: String?
    /// Printed for `parents: no` in explanations (`parents_no:`); nil prints `no`.
    public let parentsNo: String?

    /// The texts of a rule set that declares none of its own.
    public static let standard = RuleSetTexts(notice: defaultNotice, routeNone: nil, parentsNo: nil)

    /// Texts of these parts.
    package init(notice: String, routeNone: String?, parentsNo: String?) {
        self.notice = notice
        self.routeNone = routeNone
        self.parentsNo = parentsNo
    }

    /// A label as one line: the Chinese text, then the English one, with a space between them unless the Chinese ends
    /// in a full-width mark (`。`, `）`); one of them when the other is empty or the same.
    static func line(_ label: Label) -> String {
        if label.zh.isEmpty { return label.en }
        if label.en.isEmpty || label.en == label.zh { return label.zh }
        let last = label.zh.unicodeScalars.last?.value ?? 0
        let fullWidth = (0x3000...0x303F).contains(last) || (0xFF00...0xFFEF).contains(last)
        return label.zh + (fullWidth ? "" : " ") + label.en
    }
}
