/// The dimension an indicator belongs to, after 000 §四(二)'s four (可感, 可查, 可知, 可控) and 003 方案2's history and clinical groups.
public enum Dimension: String, Sendable, CaseIterable, Hashable {
    /// 可感: what dorm mates and teachers can observe.
    case observable
    /// 可查: what records show (academic warnings, discipline, time nodes).
    case checkable
    /// 可知: what talks and files reveal (family, economy, scale results).
    case knowable
    /// 可控: protective factors that lower risk.
    case controllable
    /// Time nodes (时间节点): the pressure points of the academic year, which weigh on a student already at risk.
    case timeNode = "time_node"
    /// History: prior attempts, suicide in the family, earlier leave.
    case history
    /// Clinical: diagnosis, medication, treatment.
    case clinical
    /// Red flags: self-harm or harm to others, as an act, a tendency or a risk.
    case redFlag = "red_flag"

    /// The Chinese name used in the seeds.
    public var chinese: String {
        switch self {
        case .observable: return "可感"
        case .checkable: return "可查"
        case .knowable: return "可知"
        case .controllable: return "可控"
        case .timeNode: return "时间节点"
        case .history: return "既往史"
        case .clinical: return "临床"
        case .redFlag: return "红色警报"
        }
    }
}
