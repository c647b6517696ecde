extension Substring {
    /// The text without leading and trailing spaces and tabs (and a trailing carriage return).
    package func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
