internal import RiskScreenYAML

/// Decodes `roles:`, the people a level routes a student to: a label, or `{label, sees_sensitive}`.
struct RoleSection {
    /// The merged `roles:` of every layer.
    let table: Definitions.Table

    func decode(_ decoder: inout NodeDecoder) -> [Role] {
        var roles: [Role] = []
        for id in table.order {
            guard let node = table.node(id) else { continue }
            if node.scalar != nil || node.isNull {
                roles.append(Role(id: id, label: decoder.label(node, fallback: id), seesSensitive: false))
                continue
            }
            guard let entries = decoder.fields(node, "role \(id)", allowed: ["label", "sees_sensitive"]) else {
                continue
            }
            roles.append(
                Role(
                    id: id, label: decoder.label(entries["label"]?.value, fallback: id),
                    seesSensitive: decoder.boolean(entries["sees_sensitive"]?.value, "sees_sensitive") ?? false))
        }
        return roles
    }
}
