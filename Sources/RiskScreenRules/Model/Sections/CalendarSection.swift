internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `calendar:` but its effects: the day the academic year starts and the windows (recurring `MM-DD` ranges
/// or dated ones). The effects name indicators and are decoded after them (``EffectSection``).
struct CalendarSection {
    /// The windows, their indices by name, and the start of the academic year.
    struct Output {
        var windows: [CalendarWindow] = []
        var windowIndex: [String: Int] = [:]
        /// 1 September unless `academic_year_starts:` says otherwise.
        var academicYearStart = (month: 9, day: 1)
    }

    /// `calendar: academic_year_starts:`, as the last layer to write it wrote it.
    let settings: [String: YAMLNode]
    /// The merged `calendar: windows:` of every layer.
    let windows: Definitions.Table

    func decode(_ decoder: inout NodeDecoder) -> Output {
        var output = Output()
        if let start = settings["academic_year_starts"] {
            if let text = start.scalar, let monthDay = MonthDay(text) {
                output.academicYearStart = (monthDay.month, monthDay.day)
            } else {
                decoder.bag.error(
                    .invalidValue,
                    "found \(start.kindDescription) for academic_year_starts; expected MM-DD such as 09-01",
                    at: start.location)
            }
        }
        for name in windows.order {
            guard let node = windows.node(name),
                let entries = decoder.fields(
                    node, "window \(name)", allowed: ["label", "from", "to", "ranges", "source"])
            else { continue }
            var spans: [CalendarWindow.Span] = []
            if let ranges = entries["ranges"]?.value {
                for range in ranges.items ?? [] {
                    guard
                        let bounds = decoder.fields(range, "range", allowed: ["from", "to"], required: ["from", "to"])
                    else {
                        continue
                    }
                    if let span = span(bounds["from"]?.value, bounds["to"]?.value, at: range.location, &decoder) {
                        spans.append(span)
                    }
                }
                if entries["from"] != nil || entries["to"] != nil {
                    decoder.bag.error(
                        .conflictingKeys, "found both ranges and from/to in window \(name); expected one or the other",
                        at: node.location)
                }
            } else if let span = span(entries["from"]?.value, entries["to"]?.value, at: node.location, &decoder) {
                spans.append(span)
            }
            if spans.isEmpty { continue }
            output.windowIndex[name] = output.windows.count
            output.windows.append(
                CalendarWindow(
                    name: name, label: decoder.label(entries["label"]?.value, fallback: name), spans: spans,
                    source: decoder.text(entries["source"]?.value, "source"),
                    location: windows.keyLocations[name] ?? node.location))
        }
        return output
    }

    /// One range of a window: both ends `MM-DD` (recurring) or both `YYYY-MM-DD` (dated, in order).
    private func span(
        _ fromNode: YAMLNode?, _ toNode: YAMLNode?, at location: SourceLocation, _ decoder: inout NodeDecoder
    )
        -> CalendarWindow.Span?
    {
        guard let fromNode, let toNode, let fromText = fromNode.scalar, let toText = toNode.scalar else {
            decoder.bag.error(
                .missingKey, "found a range without from and to; expected from: MM-DD (or YYYY-MM-DD) and to: …",
                at: location)
            return nil
        }
        if let from = MonthDay(fromText), let to = MonthDay(toText) {
            return .recurring(from: from, to: to)
        }
        if let from = CivilDate(iso: fromText), let to = CivilDate(iso: toText) {
            if to < from {
                decoder.bag.error(
                    .outOfOrder,
                    "found a range that ends (\(toText)) before it starts (\(fromText)); expected to on or after from",
                    at: toNode.location)
                return nil
            }
            return .dated(from: from, to: to)
        }
        let bad = MonthDay(fromText) == nil && CivilDate(iso: fromText) == nil ? fromNode : toNode
        decoder.bag.error(
            .invalidValue,
            "found \(bad.kindDescription); expected MM-DD for a recurring range or YYYY-MM-DD (\(CivilDate.earliestYear)–\(CivilDate.latestYear)) for a dated one, both ends alike",
            at: bad.location)
        return nil
    }
}
