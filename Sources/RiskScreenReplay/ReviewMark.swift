public import RiskScreenRules

/// The mark `replay --record --overwrite-reasoned` puts at the front of each `why:` whose expectation it rewrote, so
/// that a person re-reasons it: `REVIEW (re-recorded 2026-12-01: was attention, now focus): ` and the old text.
///
/// The reasoning after the mark was written for the old expectation. `replay` lists the students whose `why:` still
/// starts with the mark; rewriting the `why:` without it clears them.
public struct ReviewMark: Sendable, Hashable {
    /// The day of the re-recording.
    public let date: CivilDate

    /// The text every mark starts with.
    public static let prefix = "REVIEW (re-recorded "

    /// What a rewritten `why:` holds when the student had none.
    static let noReason = "no why: was written"

    /// A mark for a re-recording on `date`.
    public init(date: CivilDate) {
        self.date = date
    }

    /// The mark for an expectation rewritten from `before` (nil when none was written) to `after`, ending with `": "`.
    package func text(before: Expectation?, after: Expectation) -> String {
        "\(Self.prefix)\(date): was \(before?.level ?? "not recorded"), now \(after.level)): "
    }

    /// The `why:` of a rewritten expectation: the mark, then the old reason (or a note that there was none).
    package func marked(_ why: String?, before: Expectation?, after: Expectation) -> String {
        text(before: before, after: after) + (why ?? Self.noReason)
    }

    /// True when a `why:` starts with a review mark: its expectation was re-recorded and the reason not yet revisited.
    public static func isMarked(_ why: String?) -> Bool { why?.hasPrefix(prefix) == true }

    /// What the mark at the front of a `why:` says, without the old reason (`re-recorded 2026-12-01: was attention, now
    /// focus`); nil when it carries none.
    public static func note(of why: String?) -> String? {
        guard let why, isMarked(why) else { return nil }
        let rest = why.dropFirst(prefix.count - "re-recorded ".count)
        guard let end = rest.firstRange(of: "):") else { return String(rest.prefix(80)) }
        return String(rest[..<end.lowerBound])
    }
}
