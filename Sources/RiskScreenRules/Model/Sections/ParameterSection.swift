internal import RiskScreenYAML

/// Decodes `parameters:`, each a number or `{value, reason}`: the first step, since later sections may write a
/// parameter's name where a number goes.
struct ParameterSection {
    /// The parameters in the order written, and their values by name.
    struct Output {
        var list: [Parameter] = []
        var values: [String: Double] = [:]
    }

    /// The merged `parameters:` of every layer.
    let table: Definitions.Table

    func decode(_ decoder: inout NodeDecoder) -> Output {
        var output = Output()
        for name in table.order {
            guard let node = table.node(name) else { continue }
            var valueNode = node
            var reason: String?
            if node.entries != nil {
                guard
                    let entries = decoder.fields(
                        node, "parameter \(name)", allowed: ["value", "reason"], required: ["value"]),
                    let value = entries["value"]?.value
                else { continue }
                valueNode = value
                reason = decoder.text(entries["reason"]?.value, "reason")
            }
            guard let value = NodeDecoder.parseNumber(valueNode) else {
                decoder.bag.error(
                    NodeDecoder.numberCode(valueNode),
                    "found \(valueNode.kindDescription) for parameter \(name); expected a number within ±1e9",
                    at: valueNode.location)
                continue
            }
            output.values[name] = value
            output.list.append(Parameter(name: name, value: value, reason: reason, location: valueNode.location))
        }
        return output
    }
}
