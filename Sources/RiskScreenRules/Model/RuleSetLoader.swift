internal import Foundation
internal import RiskScreenSupport
internal import RiskScreenYAML

/// Reads the files of a rule set and the rule sets it extends, and merges their layers.
///
/// A rule set is a directory of `.yaml` files read in name order, or one file. A layer names its
/// parent with `ruleset: {extends: PATH}` (relative to the layer's directory); its `overrides:`
/// change the parent's parameters, indicators, levels, escalations, caps, cohort rules, actions and windows in place.
enum RuleSetLoader {
    static let sectionKeys = [
        "ruleset", "parameters", "roles", "schema", "calendar", "dimensions", "scores", "combine", "levels",
        "indicators", "protective", "escalations", "caps", "cohort", "actions", "overrides",
    ]
    static let overridableSections = [
        "parameters", "dimensions", "scores", "indicators", "protective", "levels", "escalations", "caps", "cohort",
        "actions",
        "windows",
    ]
    static let maxLayers = 16

    static func load(path: String) throws(RuleSetError) -> RuleSet {
        var bag = DiagnosticBag()
        var definitions = Definitions()
        var files: [String] = []
        var chain: [String] = []
        loadLayer(path: path, from: nil, bag: &bag, definitions: &definitions, files: &files, chain: &chain)
        return try build(definitions: definitions, bag: bag, files: files)
    }

    /// Loads a rule set of one file from its bytes, reading nothing else: `file` names it in diagnostics only, and
    /// `extends` is refused (a layer's parent is read from disk). Fuzz targets and tests use it without scratch files.
    package static func load(yaml bytes: [UInt8], file: String) throws(RuleSetError) -> RuleSet {
        var bag = DiagnosticBag()
        var definitions = Definitions()
        guard let root = parseDocument(bytes, file: file, bag: &bag) else {
            return try build(definitions: definitions, bag: bag, files: [file])
        }
        let header = header(of: [(file, root)], bag: &bag)
        for parent in header.extends {
            bag.error(
                .misplaced,
                "found extends: \(parent.path) in rules read from memory; expected a rule set without extends (load it from its directory to layer it)",
                at: parent.location)
        }
        addSections(
            of: [(file, root)], layerID: header.id ?? (file as NSString).lastPathComponent, to: &definitions, bag: &bag)
        return try build(definitions: definitions, bag: bag, files: [file])
    }

    /// Builds the rule set from merged definitions, or throws every diagnostic found so far and while building.
    private static func build(definitions: Definitions, bag: DiagnosticBag, files: [String]) throws(RuleSetError)
        -> RuleSet
    {
        if bag.hasErrors {
            throw RuleSetError(diagnostics: sorted(bag.items))
        }
        var builder = RuleSetBuilder(definitions: definitions, bag: bag)
        let ruleSet = builder.build(files: files)
        if builder.bag.hasErrors || ruleSet == nil {
            throw RuleSetError(diagnostics: sorted(builder.bag.items))
        }
        guard let ruleSet else { throw RuleSetError(diagnostics: sorted(builder.bag.items)) }
        return ruleSet
    }

    static func sorted(_ items: [Diagnostic]) -> [Diagnostic] {
        items.enumerated().sorted { a, b in
            let l = a.element.location
            let r = b.element.location
            if l.file != r.file { return a.offset < b.offset }
            return (l.line, l.column, a.offset) < (r.line, r.column, b.offset)
        }.map(\.element)
    }

    /// The YAML files of a rule set: the file itself, or a directory's `.yaml`/`.yml` files by name.
    static func files(at path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            (path as NSString).appendingPathComponent($0)
        }
    }

    private static func loadLayer(
        path: String, from reference: SourceLocation?, bag: inout DiagnosticBag, definitions: inout Definitions,
        files: inout [String], chain: inout [String]
    ) {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let origin = reference ?? SourceLocation(file: path, line: 1, column: 1)
        if let cycleStart = chain.firstIndex(of: canonical) {
            let cycle = (chain[cycleStart...] + [canonical]).map { ($0 as NSString).lastPathComponent }
            bag.error(
                .cycle,
                "found a cycle through extends: \(cycle.joined(separator: " → ")); expected each rule set to extend another at most once",
                at: origin)
            return
        }
        if chain.count >= maxLayers {
            bag.error(
                .limitExceeded, "found more than \(maxLayers) layers of extends; expected a shorter chain", at: origin)
            return
        }
        guard let layerFiles = Self.files(at: path) else {
            bag.error(
                .fileNotFound, "found no file or directory at \(path); expected a rule file or a directory of them",
                at: origin)
            return
        }
        if layerFiles == [path], !path.hasSuffix(".yaml"), !path.hasSuffix(".yml") {
            // Not read at all: a message about its content would show a line of a file that is not the user's to see.
            bag.error(
                .fileNotFound,
                "found \(path), which is not a .yaml or .yml file; expected a rule file or a directory of them",
                at: origin)
            return
        }
        if layerFiles.isEmpty {
            bag.error(.fileNotFound, "found no .yaml files in \(path); expected the rule set's files", at: origin)
            return
        }
        chain.append(canonical)
        defer { chain.removeLast() }

        var documents: [(String, YAMLNode)] = []
        for file in layerFiles {
            let bytes: [UInt8]
            switch BoundedFileReader.read(file, limit: .ruleFile) {
            case .success(let read): bytes = read
            case .failure(let failure):
                bag.error(
                    failure.code, failure.message(path: file, limit: .ruleFile),
                    at: SourceLocation(file: file, line: 1, column: 1))
                continue
            }
            files.append(file)
            if let root = parseDocument(bytes, file: file, bag: &bag) { documents.append((file, root)) }
        }

        // The parent first, so this layer's definitions and overrides apply on top of it.
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let layerDirectory = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        let header = header(of: documents, bag: &bag)
        for parent in header.extends {
            let parentPath =
                parent.path.hasPrefix("/")
                ? parent.path : (layerDirectory as NSString).appendingPathComponent(parent.path)
            let before = definitions.layerIDs.count
            loadLayer(
                path: parentPath, from: parent.location, bag: &bag, definitions: &definitions, files: &files,
                chain: &chain)
            if definitions.layerIDs.count > before {
                definitions.parents.insert(definitions.layerIDs[definitions.layerIDs.count - 1], at: 0)
            }
        }
        addSections(
            of: documents, layerID: header.id ?? (path as NSString).lastPathComponent, to: &definitions, bag: &bag)
    }

    /// Parses one rule file: its top mapping of sections, or nil (an empty file, or an error put in `bag`).
    private static func parseDocument(_ bytes: [UInt8], file: String, bag: inout DiagnosticBag) -> YAMLNode? {
        bag.sources.add(file: file, text: String(decoding: bytes, as: UTF8.self))
        do throws(YAMLError) {
            let root = try YAMLParser.parse(bytes, file: file, limits: .ruleFile)
            if root.isNull { return nil }
            guard root.entries != nil else {
                bag.error(
                    .typeMismatch,
                    "found \(root.kindDescription) at the top of the file; expected a mapping of sections ("
                        + sectionKeys.joined(separator: ", ") + ")", at: root.location)
                return nil
            }
            return root
        } catch {
            bag.error(.yamlSyntax, error.message, at: error.location)
            return nil
        }
    }

    /// A layer's `ruleset:` header: its id (when given) and the parents it extends, in order.
    private static func header(of documents: [(String, YAMLNode)], bag: inout DiagnosticBag)
        -> (id: String?, extends: [(path: String, location: SourceLocation)])
    {
        var header: (node: YAMLNode, file: String)?
        for (file, root) in documents {
            for entry in root.entries ?? [] where entry.key == "ruleset" {
                if let first = header {
                    bag.error(
                        .duplicateID,
                        "found a second ruleset: section (the first is in \(first.file)); expected one per rule set",
                        at: entry.keyLocation)
                } else {
                    header = (entry.value, file)
                }
            }
        }
        var layerID: String?
        var parents: [(path: String, location: SourceLocation)] = []
        if let header, let fields = header.node.entries {
            for entry in fields where entry.key == "id" { layerID = entry.value.scalar ?? layerID }
            for entry in fields where entry.key == "extends" {
                guard let parent = entry.value.scalar, !entry.value.isNull else {
                    bag.error(
                        .typeMismatch,
                        "found \(entry.value.kindDescription) for extends; expected a path to a rule set",
                        at: entry.value.location)
                    continue
                }
                parents.append((parent, entry.value.location))
            }
        }
        return (layerID, parents)
    }

    /// Adds a layer's sections on top of the layers already merged (its parents).
    private static func addSections(
        of documents: [(String, YAMLNode)], layerID: String, to definitions: inout Definitions, bag: inout DiagnosticBag
    ) {
        definitions.beginLayer(id: layerID)
        for (_, root) in documents {
            for entry in root.entries ?? [] {
                definitions.add(section: entry, bag: &bag)
            }
        }
    }
}

/// The raw definitions of all layers, merged: each id once, overrides applied, nothing decoded yet.
struct Definitions {
    struct Table {
        var order: [String] = []
        var nodes: [String: YAMLNode] = [:]
        var keyLocations: [String: SourceLocation] = [:]
        var layers: [String: Int] = [:]

        func node(_ id: String) -> YAMLNode? { nodes[id] }
    }

    var layerIDs: [String] = []
    var parents: [String] = []
    var currentLayer = -1
    var header: [String: YAMLNode] = [:]
    var notes: [String] = []
    /// `ruleset: notice:` of the last layer that declares one.
    var notice: YAMLNode?
    /// `ruleset: level_defaults:`, by key: a layer's key replaces the same key of the layers below it.
    var levelDefaults: [String: YAMLNode.Entry] = [:]
    /// `combine:` of the last layer that declares one: how several scores' levels give the level.
    var combine: YAMLNode?
    var tables: [String: Table] = [:]
    var effects: [YAMLNode] = []
    var schemaSettings: [String: YAMLNode] = [:]
    var calendarSettings: [String: YAMLNode] = [:]

    /// The keys of `ruleset:`.
    static let rulesetKeys = ["id", "name", "extends", "version", "notes", "notice", "level_defaults"]
    /// The keys of `ruleset: level_defaults:`.
    static let levelDefaultKeys = ["route", "parents", "route_none", "parents_no"]

    mutating func beginLayer(id: String) {
        layerIDs.append(id)
        currentLayer = layerIDs.count - 1
        header = [:]
    }

    func table(_ name: String) -> Table { tables[name] ?? Table() }

    /// Records a definition. Every name a rule file defines (parameters, roles, fields, event kinds, scales,
    /// windows, and the ids of indicators, levels and rules) must be an identifier: no control, bidirectional or
    /// other invisible character can reach an output or an expression through a name.
    private mutating func define(
        _ tableName: String, id: String, node: YAMLNode, at location: SourceLocation, bag: inout DiagnosticBag
    ) {
        guard Self.isValidID(id) else {
            bag.error(.invalidValue, Self.invalidNameMessage(id, in: tableName), at: location)
            return
        }
        var table = tables[tableName] ?? Table()
        if let existing = table.keyLocations[id] {
            let ownerLayer = table.layers[id] ?? 0
            if ownerLayer == currentLayer {
                bag.error(
                    .duplicateID,
                    "found the id \"\(id)\" a second time in \(tableName) (first at \(existing)); expected each id once",
                    at: location)
            } else {
                bag.error(
                    .duplicateID,
                    "found \"\(id)\", which the rule set \(layerIDs[ownerLayer]) already defines in \(tableName); expected a change under overrides: \(tableName): \(id): …",
                    at: location)
            }
            return
        }
        table.order.append(id)
        table.nodes[id] = node
        table.keyLocations[id] = location
        table.layers[id] = currentLayer
        tables[tableName] = table
    }

    mutating func add(section: YAMLNode.Entry, bag: inout DiagnosticBag) {
        let node = section.value
        if node.isNull { return }
        switch section.key {
        case "ruleset":
            guard let entries = node.entries else {
                bag.error(
                    .typeMismatch,
                    "found \(node.kindDescription) for ruleset; expected a mapping with id, name, extends, notes",
                    at: node.location)
                return
            }
            for entry in entries {
                switch entry.key {
                case "id", "name", "extends", "version":
                    // Shown by validate, diff and replay: no control or bidirectional character (ids may have hyphens).
                    if let text = entry.value.scalar, PrintableText.needsEscape(text) {
                        bag.error(
                            .invalidValue,
                            "found the \(entry.key) \"\(PrintableText.escaped(text))\" in ruleset; expected no control or "
                                + "bidirectional characters", at: entry.value.location)
                        continue
                    }
                    header[entry.key] = entry.value
                case "notes":
                    if let text = entry.value.scalar {
                        notes.append(text)
                    } else if let items = entry.value.items {
                        notes += items.compactMap(\.scalar)
                    }
                case "notice":
                    notice = entry.value
                case "level_defaults":
                    guard let items = entry.value.entries else {
                        if !entry.value.isNull {
                            bag.error(
                                .typeMismatch,
                                "found \(entry.value.kindDescription) for level_defaults; expected a mapping with "
                                    + Self.levelDefaultKeys.joined(separator: ", "), at: entry.value.location)
                        }
                        continue
                    }
                    for item in items {
                        guard Self.levelDefaultKeys.contains(item.key) else {
                            bag.error(
                                .unknownKey,
                                "found the unknown key \"\(item.key)\" in level_defaults; expected one of: "
                                    + Self.levelDefaultKeys.joined(separator: ", ")
                                    + Suggestion.hint(for: item.key, in: Self.levelDefaultKeys), at: item.keyLocation)
                            continue
                        }
                        levelDefaults[item.key] = item
                    }
                default:
                    bag.error(
                        .unknownKey,
                        "found the unknown key \"\(entry.key)\" in ruleset; expected id, name, extends, version, notes, notice or level_defaults"
                            + Suggestion.hint(for: entry.key, in: Self.rulesetKeys),
                        at: entry.keyLocation)
                }
            }
        case "parameters", "roles":
            guard let entries = node.entries else {
                bag.error(
                    .typeMismatch, "found \(node.kindDescription) for \(section.key); expected a mapping of names",
                    at: node.location)
                return
            }
            for entry in entries {
                define(section.key, id: entry.key, node: entry.value, at: entry.keyLocation, bag: &bag)
            }
        case "schema":
            guard let entries = node.entries else {
                bag.error(
                    .typeMismatch,
                    "found \(node.kindDescription) for schema; expected a mapping with fields, events, scales",
                    at: node.location)
                return
            }
            for entry in entries {
                switch entry.key {
                case "fields", "events", "scales":
                    if entry.value.isNull { continue }
                    guard let items = entry.value.entries else {
                        bag.error(
                            .typeMismatch,
                            "found \(entry.value.kindDescription) for \(entry.key); expected a mapping of names to definitions",
                            at: entry.value.location)
                        continue
                    }
                    for item in items {
                        define(entry.key, id: item.key, node: item.value, at: item.keyLocation, bag: &bag)
                    }
                case "enrolment", "booleans", "case", "id":
                    schemaSettings[entry.key] = entry.value
                default:
                    bag.error(
                        .unknownKey,
                        "found the unknown key \"\(entry.key)\" in schema; expected fields, events, scales, enrolment, booleans, case or id"
                            + Suggestion.hint(
                                for: entry.key,
                                in: ["fields", "events", "scales", "enrolment", "booleans", "case", "id"]),
                        at: entry.keyLocation)
                }
            }
        case "calendar":
            guard let entries = node.entries else {
                bag.error(
                    .typeMismatch,
                    "found \(node.kindDescription) for calendar; expected a mapping with windows and effects",
                    at: node.location)
                return
            }
            for entry in entries {
                switch entry.key {
                case "windows":
                    guard let items = entry.value.entries else {
                        bag.error(
                            .typeMismatch,
                            "found \(entry.value.kindDescription) for windows; expected a mapping of window names",
                            at: entry.value.location)
                        continue
                    }
                    for item in items {
                        define("windows", id: item.key, node: item.value, at: item.keyLocation, bag: &bag)
                    }
                case "effects":
                    guard let items = entry.value.items else {
                        bag.error(
                            .typeMismatch,
                            "found \(entry.value.kindDescription) for effects; expected a list of effects",
                            at: entry.value.location)
                        continue
                    }
                    effects += items
                case "academic_year_starts":
                    calendarSettings[entry.key] = entry.value
                default:
                    bag.error(
                        .unknownKey,
                        "found the unknown key \"\(entry.key)\" in calendar; expected windows, effects or academic_year_starts"
                            + Suggestion.hint(for: entry.key, in: ["windows", "effects", "academic_year_starts"]),
                        at: entry.keyLocation)
                }
            }
        case "combine":
            combine = node
        case "dimensions", "scores", "levels", "indicators", "protective", "escalations", "caps", "cohort", "actions":
            guard let items = node.items else {
                bag.error(
                    .typeMismatch,
                    "found \(node.kindDescription) for \(section.key); expected a list of entries, each with an id",
                    at: node.location)
                return
            }
            for item in items {
                guard let entries = item.entries else {
                    bag.error(
                        .typeMismatch, "found \(item.kindDescription) in \(section.key); expected a mapping with an id",
                        at: item.location)
                    continue
                }
                guard let idEntry = entries.first(where: { $0.key == "id" }), let id = idEntry.value.scalar,
                    !idEntry.value.isNull
                else {
                    bag.error(
                        .missingKey, "found an entry of \(section.key) without an id; expected id: NAME",
                        at: item.location)
                    continue
                }
                guard Self.isValidID(id) else {
                    bag.error(.invalidValue, Self.invalidNameMessage(id, in: section.key), at: idEntry.value.location)
                    continue
                }
                // Outputs write `withheld` where a role may not see an entry: no rule may be called that.
                if id == "withheld" {
                    bag.error(
                        .reservedName,
                        "found the id \"withheld\" in \(section.key); expected another name (outputs use withheld for what a role may not see)",
                        at: idEntry.value.location)
                    continue
                }
                define(section.key, id: id, node: item, at: idEntry.value.location, bag: &bag)
            }
        case "overrides":
            applyOverrides(node, bag: &bag)
        default:
            bag.error(
                .unknownKey,
                "found the unknown section \"\(section.key)\"; expected one of: \(RuleSetLoader.sectionKeys.joined(separator: ", "))"
                    + Suggestion.hint(for: section.key, in: RuleSetLoader.sectionKeys),
                at: section.keyLocation)
        }
    }

    /// The error for a name that is not an identifier; the name is quoted with its control and bidirectional
    /// characters escaped, so that the message shows them instead of obeying them.
    static func invalidNameMessage(_ name: String, in what: String) -> String {
        "found the name \"\(PrintableText.escaped(name))\" in \(what); expected letters, digits and underscores, starting with a letter"
    }

    /// Whether a name is an identifier: letters, digits and underscores, starting with a letter or an underscore.
    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return id.unicodeScalars.allSatisfy {
            $0 == "_" || $0.properties.isAlphabetic || ($0.value >= 48 && $0.value <= 57)
        }
    }

    private mutating func applyOverrides(_ node: YAMLNode, bag: inout DiagnosticBag) {
        guard let sections = node.entries else {
            bag.error(
                .typeMismatch, "found \(node.kindDescription) for overrides; expected a mapping of sections",
                at: node.location)
            return
        }
        for section in sections {
            guard RuleSetLoader.overridableSections.contains(section.key) else {
                bag.error(
                    .unknownKey,
                    "found \"\(section.key)\" under overrides; expected one of: \(RuleSetLoader.overridableSections.joined(separator: ", "))"
                        + Suggestion.hint(for: section.key, in: RuleSetLoader.overridableSections),
                    at: section.keyLocation)
                continue
            }
            guard let changes = section.value.entries else {
                bag.error(
                    .typeMismatch,
                    "found \(section.value.kindDescription) for overrides of \(section.key); expected a mapping of ids to changes",
                    at: section.value.location)
                continue
            }
            var table = tables[section.key] ?? Table()
            for change in changes {
                guard let base = table.nodes[change.key] else {
                    bag.error(
                        .unknownName,
                        "found an override of \"\(change.key)\", which no earlier layer defines in \(section.key); expected one of its ids"
                            + Suggestion.hint(for: change.key, in: table.order),
                        at: change.keyLocation)
                    continue
                }
                if let changedEntries = change.value.entries, var baseEntries = base.entries {
                    for changed in changedEntries {
                        if changed.key == "id" {
                            bag.error(
                                .misplaced, "found id in an override; expected the id to stay as it is",
                                at: changed.keyLocation)
                            continue
                        }
                        if let at = baseEntries.firstIndex(where: { $0.key == changed.key }) {
                            baseEntries[at].value = changed.value
                        } else {
                            baseEntries.append(changed)
                        }
                    }
                    table.nodes[change.key] = YAMLNode(.mapping(baseEntries), at: base.location)
                } else if section.key == "parameters", change.value.scalar != nil {
                    if var baseEntries = base.entries, let at = baseEntries.firstIndex(where: { $0.key == "value" }) {
                        baseEntries[at].value = change.value
                        table.nodes[change.key] = YAMLNode(.mapping(baseEntries), at: base.location)
                    } else {
                        table.nodes[change.key] = change.value
                    }
                } else {
                    bag.error(
                        .typeMismatch,
                        "found \(change.value.kindDescription) as the override of \"\(change.key)\"; expected a mapping of the keys to change",
                        at: change.value.location)
                }
            }
            tables[section.key] = table
        }
    }
}
