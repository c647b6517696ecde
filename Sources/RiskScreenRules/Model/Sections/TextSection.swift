internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes the texts of `ruleset:`: the notice (`notice:`) and what is printed for an empty route and for
/// `parents: no` (`level_defaults: route_none:`, `parents_no:`), each one text or `{zh: …, en: …}`.
struct TextSection {
    /// `ruleset: notice:` of the last layer that declares one.
    let notice: YAMLNode?
    /// The merged `ruleset: level_defaults:`.
    let levelDefaults: [String: YAMLNode.Entry]

    func decode(_ decoder: inout NodeDecoder) -> RuleSetTexts {
        RuleSetTexts(
            notice: text(notice, "notice", &decoder) ?? RuleSetTexts.defaultNotice,
            routeNone: text(levelDefaults["route_none"]?.value, "route_none", &decoder),
            parentsNo: text(levelDefaults["parents_no"]?.value, "parents_no", &decoder))
    }

    /// A label as one line of output, or nil when not written or wrong (reported): it must say something, and may
    /// hold no control or bidirectional character, since outputs print it as it is.
    private func text(_ node: YAMLNode?, _ what: String, _ decoder: inout NodeDecoder) -> String? {
        guard let node else { return nil }
        if node.isNull || node.scalar.map({ Substring($0).trimmingCharacters().isEmpty }) == true {
            decoder.bag.error(
                .typeMismatch, "found \(node.kindDescription) for \(what); expected text or {zh: …, en: …}",
                at: node.location)
            return nil
        }
        let label = decoder.label(node, fallback: "")
        let line = RuleSetTexts.line(label)
        if line.isEmpty {
            decoder.bag.error(.missingKey, "found no text in \(what); expected zh: … or en: …", at: node.location)
            return nil
        }
        if PrintableText.needsEscape(line) {
            decoder.bag.error(
                .invalidValue,
                "found the \(what) \"\(PrintableText.escaped(line))\"; expected one line with no control or "
                    + "bidirectional characters", at: node.location)
            return nil
        }
        return line
    }
}
