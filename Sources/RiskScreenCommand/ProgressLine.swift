import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A line on standard error that says how a long run is going (input read, students scored, result written, rate,
/// time left), redrawn in place. It is shown only when standard error is a terminal that the result does not go to,
/// and only once a run has taken more than two seconds; never in a pipe or a file. It is cleared before anything
/// else is printed there.
final class ProgressLine {
    private let totalBytes: Int
    private let shown: Bool
    private let start = Date()
    private var lastDrawn: TimeInterval = 0
    private var drawn = false

    /// Whether a run writing its result to `output` (nil: standard output) may show progress.
    static func allowed(output: String?) -> Bool {
        isatty(STDERR_FILENO) != 0 && (output != nil || isatty(STDOUT_FILENO) == 0)
    }

    init(totalBytes: Int, shown: Bool) {
        self.totalBytes = totalBytes
        self.shown = shown
    }

    /// Redraws the line, at most four times a second.
    func update(read: Int, students: Int, written: Int) {
        guard shown else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 2, elapsed - lastDrawn >= 0.25 else { return }
        lastDrawn = elapsed
        var line = "\(students.formatted()) students scored, \(written >> 20) MB written"
        line += ", \(Int(Double(students) / elapsed).formatted()) students/s"
        if totalBytes > 0 && read > 0 {
            let done = min(1, Double(read) / Double(totalBytes))
            line += ", \(Int(done * 100)) % read"
            if done < 1 { line += ", about \(Int((elapsed / done - elapsed).rounded(.up))) s left to read" }
        }
        draw(line)
    }

    /// Redraws the line while the result is copied from the scratch file with the students the cohort rules raise.
    func update(mended students: Int, copied: Int, of total: Int) {
        guard shown else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 2, elapsed - lastDrawn >= 0.25 else { return }
        lastDrawn = elapsed
        draw(
            "cohort rules: \(students.formatted()) students in a trigger's group scored again, \(copied >> 20) of \(total >> 20) MB of the result written"
        )
    }

    private func draw(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drawn = true
    }

    /// Clears the line if it was drawn.
    func clear() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
