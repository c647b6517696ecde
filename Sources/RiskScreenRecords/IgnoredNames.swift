/// How a reader treats a name its schema does not know: a field, an event kind, a scale, a score of a scale, a
/// column of a CSV table.
/// Frozen: a closed set (refuse or ignore); a new case comes only with a new major version of the library.
public enum UnknownNames: Sendable, Hashable {
    /// Refuse the record (or, for a column, the table): what scoring needs, so that nothing is dropped unseen.
    case refuse
    /// Leave the name out of the record, read the rest, and count what was left out (``RecordBatch/ignored``): for
    /// reading one input under two rule sets whose schemas differ (`riskscreen diff`).
    case ignore
}

/// The names a reader left out of the records it read (``UnknownNames/ignore``), each with how many records carried
/// it and, for events, scale results, scores and table rows, how many of those.
public struct IgnoredNames: Sendable, Hashable, CustomStringConvertible {
    /// What kind of name was left out.
    /// Frozen: a closed set (the parts a record has); a new case comes only with a new major version of the library.
    public enum Kind: Int, Sendable, Hashable, Comparable {
        /// A key of a record, or a column of the students table.
        case field
        /// An event kind: its events were left out.
        case eventKind
        /// A scale: its results were left out.
        case scale
        /// A score of a known scale, given by name: the result was read without it.
        case score
        /// A column of the events or scales table.
        case column

        /// Orders the kinds as the summary lists them.
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// One name left out: its kind, the name, and where it belongs (the scale of a score, the table of a column).
    public struct Name: Sendable, Hashable {
        /// What kind of name it is.
        public let kind: Kind
        /// The name as the input writes it.
        public let name: String
        /// The scale of a score, the file of a column; empty otherwise.
        public let within: String

        /// Creates a name.
        public init(_ kind: Kind, _ name: String, within: String = "") {
            (self.kind, self.name, self.within) = (kind, name, within)
        }
    }

    /// One name with its counts.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The name.
        public let name: Name
        /// How many records carried it.
        public let records: Int
        /// How many times it was left out: events, results, scores or rows (equal to `records` for a field).
        public let occurrences: Int

        /// `the field X in 120 records`, `the event kind Y (34 events in 30 records)`.
        public var description: String {
            let records = Self.count(records, "record")
            let times: (String) -> String = { Self.count(occurrences, $0) }
            switch name.kind {
            case .field: return "the field \(name.name) in \(records)"
            case .eventKind: return "the event kind \(name.name) (\(times("event")) in \(records))"
            case .scale: return "the scale \(name.name) (\(times("result")) in \(records))"
            case .score: return "the score \(name.name) of \(name.within) (\(times("result")) in \(records))"
            case .column: return "the column \(name.name) of \(name.within) (\(times("row")) in \(records))"
            }
        }

        /// `1 record`, `2 records`.
        static func count(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
    }

    private var counts: [Name: (records: Int, occurrences: Int)] = [:]

    /// Creates an empty tally.
    public init() {}

    /// True when nothing was left out.
    public var isEmpty: Bool { counts.isEmpty }

    /// Every name left out with its counts, by kind and then by name.
    public var entries: [Entry] {
        counts.map { Entry(name: $0.key, records: $0.value.records, occurrences: $0.value.occurrences) }.sorted {
            ($0.name.kind, $0.name.name, $0.name.within) < ($1.name.kind, $1.name.name, $1.name.within)
        }
    }

    /// `the field X in 120 records, the event kind Y (34 events in 30 records)`, or `nothing`.
    public var description: String {
        isEmpty ? "nothing" : entries.map(\.description).joined(separator: ", ")
    }

    /// Counts the names one record left out (a name once per record, each occurrence of it).
    mutating func add(record names: [Name]) {
        guard !names.isEmpty else { return }
        var counted = Set<Name>()
        for name in names {
            let first = counted.insert(name).inserted
            counts[name, default: (0, 0)].records += first ? 1 : 0
            counts[name, default: (0, 0)].occurrences += 1
        }
    }

    /// Adds another tally's counts.
    public mutating func merge(_ other: IgnoredNames) {
        for (name, count) in other.counts {
            counts[name, default: (0, 0)].records += count.records
            counts[name, default: (0, 0)].occurrences += count.occurrences
        }
    }

    /// Two tallies with the same names and counts.
    public static func == (a: IgnoredNames, b: IgnoredNames) -> Bool { a.entries == b.entries }

    /// Hashes the names and counts.
    public func hash(into hasher: inout Hasher) { hasher.combine(entries) }
}
