internal import RiskScreenRecords
internal import RiskScreenSupport

/// What the cohort rules need to know of a whole cohort before any one student's final level: for each cohort rule,
/// the groups (values of its group field, a dorm room say) of the students who trigger it.
///
/// A batch scored at once gathers it on its own (``ScoringEngine/assess(_:asOf:for:threads:)``). A cohort read in
/// chunks gathers it in a first pass, ``ScoringEngine/gatherCohortExposure(_:asOf:into:threads:)`` over every chunk,
/// and then assesses each chunk with it, ``ScoringEngine/assess(_:asOf:exposure:for:threads:)``, in a second: the
/// results are those of the whole batch at once. It holds only the groups of the students who trigger a rule, a few
/// texts, whatever the size of the cohort.
public struct CohortExposure: Sendable {
    /// Per cohort rule, the groups of its triggers.
    var groups: [Set<String>] = []
    /// Per cohort rule, the keys of ``groups`` (``ScoringEngine/KeyTable``); empty until ``sealed()``.
    var keyTables: [ScoringEngine.KeyTable] = []
    /// Per cohort rule, the short keys of ``groups`` (``shortKey(_:)``); empty until ``sealed()``.
    var shortKeys: [Set<UInt32>] = []

    /// An exposure with no trigger yet.
    public init() {}

    /// Whether no student triggered any cohort rule.
    public var isEmpty: Bool { groups.allSatisfy(\.isEmpty) }

    /// Adds `other`'s triggers.
    public mutating func merge(_ other: CohortExposure) {
        while groups.count < other.groups.count { groups.append([]) }
        for (rule, found) in other.groups.enumerated() { groups[rule].formUnion(found) }
        (keyTables, shortKeys) = ([], [])
    }

    /// Records that a student in `group` triggers cohort rule `rule`.
    mutating func add(rule: Int, group: String) {
        while groups.count <= rule { groups.append([]) }
        groups[rule].insert(group)
        (keyTables, shortKeys) = ([], [])
    }

    /// The same exposure with its key tables built, ready for ``mayRaise(rule:key:)``.
    package func sealed() -> CohortExposure {
        var sealed = self
        let keys = groups.map { $0.map(GroupKey.of) }
        sealed.keyTables = keys.map(ScoringEngine.KeyTable.init)
        sealed.shortKeys = keys.map { Set($0.map(Self.shortKey)) }
        return sealed
    }

    /// A group key (``RiskScreenRecords/GroupKey``) in four bytes, for a caller that keeps one for every student of a
    /// cohort and asks ``mayRaise(rule:shortKey:)``: its two halves folded together, 0 only for 0 (no group).
    package static func shortKey(_ key: UInt64) -> UInt32 {
        key == 0 ? 0 : max(1, UInt32(truncatingIfNeeded: key ^ key >> 32))
    }

    /// ``mayRaise(rule:key:)`` for a short key (``shortKey(_:)``): true for every student the full key would let
    /// through, and for a few others (a student's chance is about the number of the rule's trigger groups in four
    /// billion), whose group's text then decides. Needs ``sealed()``.
    package func mayRaise(rule: Int, shortKey: UInt32) -> Bool {
        shortKey != 0 && rule < shortKeys.count && shortKeys[rule].contains(shortKey)
    }

    /// Whether a student whose group key for `rule` is `key` may be in one of its triggers' groups (the key is a
    /// hash: the group's text decides); false for key 0, no group. Needs ``sealed()``.
    package func mayRaise(rule: Int, key: UInt64) -> Bool {
        rule < keyTables.count && keyTables[rule].contains(key)
    }

    /// Whether `group` is one of the groups of rule `rule`'s triggers.
    func contains(rule: Int, group: String) -> Bool {
        rule < groups.count && groups[rule].contains(group)
    }
}
