internal import RiskScreenSupport
internal import RiskScreenYAML

/// Decodes `calendar: effects:`, each multiplying the points of some indicators (named, or by dimension) inside a
/// window.
struct EffectSection {
    /// The effects of every layer, in order.
    let nodes: [YAMLNode]
    /// The windows an effect may name.
    let calendar: CalendarSection.Output
    /// Parameter values: `multiply` may name one.
    let parameters: [String: Double]
    /// The indicators an effect may name.
    let indicators: [Indicator]
    /// The dimensions an effect may name.
    let dimensions: [Dimension]

    func decode(_ decoder: inout NodeDecoder) -> [CalendarEffect] {
        var effects: [CalendarEffect] = []
        let windowIndex = calendar.windowIndex
        let indicatorIndex = Dictionary(indicators.map { ($0.id, $0.index) }, uniquingKeysWith: { a, _ in a })
        for node in nodes {
            guard
                let entries = decoder.fields(
                    node, "calendar effect", allowed: ["window", "indicators", "dimension", "multiply", "source"],
                    required: ["window", "multiply"]),
                let windowNode = entries["window"]?.value, let factorNode = entries["multiply"]?.value
            else { continue }
            guard let windowName = windowNode.scalar, let window = windowIndex[windowName] else {
                decoder.bag.error(
                    .unknownName,
                    "found \(windowNode.kindDescription) for window; expected a calendar window"
                        + Suggestion.hint(for: windowNode.scalar ?? "", in: windowIndex.keys), at: windowNode.location)
                continue
            }
            guard let factor = decoder.number(factorNode, "multiply", parameters: parameters) else { continue }
            if factor < 0 || factor > 100 {
                decoder.bag.error(
                    .outOfRange, "found the factor \(factor); expected a multiplier from 0 to 100",
                    at: factorNode.location)
                continue
            }
            var targets: [Int] = []
            for written in decoder.names(entries["indicators"]?.value, "indicators") {
                if let index = indicatorIndex[written.name] {
                    targets.append(index)
                } else {
                    decoder.bag.error(
                        .unknownName,
                        "found the unknown indicator \"\(written.name)\"; expected an indicator id"
                            + Suggestion.hint(for: written.name, in: indicatorIndex.keys), at: written.location)
                }
            }
            if let dimensionNode = entries["dimension"]?.value {
                if let dimension = dimensionNode.scalar.flatMap(dimensions.named) {
                    targets += indicators.filter { $0.dimension == dimension }.map(\.index)
                } else {
                    decoder.bag.error(
                        .unknownName,
                        "found \(dimensionNode.kindDescription) for dimension; expected one of: \(dimensions.idList)"
                            + Suggestion.hint(for: dimensionNode.scalar ?? "", in: dimensions.map(\.id)),
                        at: dimensionNode.location)
                }
            }
            if entries["indicators"] == nil && entries["dimension"] == nil {
                decoder.bag.error(
                    .missingKey, "found an effect that names no indicators; expected indicators: [...] or dimension: …",
                    at: node.location)
            }
            // An indicator named twice (or by name and by its dimension) is multiplied once by the effect.
            var seen: Set<Int> = []
            targets = targets.filter { seen.insert($0).inserted }
            effects.append(
                CalendarEffect(
                    window: windowName, indicators: targets.map { indicators[$0].id }, factor: factor,
                    location: node.location, windowIndex: window, indicatorIndices: targets))
        }
        return effects
    }
}
