/// The one rule for a UTF-8 byte order mark at the start of a CSV the command writes (`score`, `diff`, `generate`):
/// Excel in China opens UTF-8 without one as garbage, so a CSV written to a file whose name ends in `.csv` (any case)
/// starts with one, and a CSV on standard output or in a file of any other name does not; `--bom` and `--no-bom`
/// decide instead.
enum ByteOrderMark {
    /// The mark as text: U+FEFF, written in UTF-8 as `EF BB BF`.
    static let text = "\u{FEFF}"

    /// Whether a CSV written to `path` (nil for standard output) starts with the mark: `choice` (`--bom` true,
    /// `--no-bom` false) when given, else whether the name ends in `.csv`.
    static func wanted(_ choice: Bool?, path: String?) -> Bool {
        choice ?? (path?.lowercased().hasSuffix(".csv") ?? false)
    }

    /// The usage error of `--bom`/`--no-bom` given where no CSV is written.
    static func misplaced(_ choice: Bool, _ what: String) -> String {
        "\(choice ? "--bom" : "--no-bom") \(what): a byte order mark is written only in CSV; expected --format csv, "
            + "or no --bom/--no-bom"
    }
}
