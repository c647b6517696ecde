/// Where a fixture's expectations come from, as its header declares with `expectations:`.
///
/// `replay --record` rewrites a recorded fixture freely; it refuses to rewrite a reasoned one unless told to, and
/// then marks each rewritten `why:` for review (``ReviewMark``). A fixture that does not declare the key is reasoned
/// when any of its students carries a `why:`, recorded otherwise: nothing reasoned by hand is overwritten silently.
/// Frozen: a closed set (reasoned or recorded); a new case comes only with a new major version of the library.
public enum ExpectationSource: String, Sendable, CaseIterable {
    /// Reasoned by hand: each student's `why:` says how its expectation follows from the seeds.
    case reasoned
    /// Recorded from the engine (`replay --record`), to catch unintended changes.
    case recorded
}
