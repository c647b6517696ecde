internal import RiskScreenYAML

/// Decodes `dimensions:`, the groups indicators belong to: each an id, a label, and whether it holds protective
/// factors (`protective: true`) or red flags (`red_flag: true`). A rule set that declares none has
/// ``Dimension/standard``.
struct DimensionSection {
    /// The merged `dimensions:` of every layer.
    let table: Definitions.Table

    func decode(_ decoder: inout NodeDecoder) -> [Dimension] {
        if table.order.isEmpty { return Dimension.standard }
        var dimensions: [Dimension] = []
        for id in table.order {
            guard let node = table.node(id),
                let entries = decoder.fields(
                    node, "dimension \(id)", allowed: ["id", "label", "protective", "red_flag", "note"],
                    required: ["id"])
            else { continue }
            let protective = decoder.boolean(entries["protective"]?.value, "protective") ?? false
            let redFlag = decoder.boolean(entries["red_flag"]?.value, "red_flag") ?? false
            if protective && redFlag {
                decoder.bag.error(
                    .conflictingKeys,
                    "found protective: true and red_flag: true on dimension \(id); expected one of them (red flags "
                        + "are risk indicators)", at: entries["red_flag"]?.keyLocation ?? node.location)
            }
            dimensions.append(
                Dimension(
                    id: id, label: decoder.label(entries["label"]?.value, fallback: id),
                    holdsProtectiveFactors: protective, isRedFlag: redFlag && !protective))
        }
        return dimensions
    }
}

extension [Dimension] {
    /// The dimension with this id.
    func named(_ id: String) -> Dimension? { first { $0.id == id } }

    /// Their ids, for a message: `a, b, c`.
    var idList: String { map(\.id).joined(separator: ", ") }
}
