// Fuzz target: bytes → a fixture of campus-default's schema → `replay --record --overwrite-reasoned` → the recorded
// text loaded and recorded again.
// Contract: no crash or sanitizer report; a fixture with nothing to change is written back byte for byte; a reasoned
// fixture with something to change is refused without --overwrite-reasoned; a recorded fixture loads again with the
// same students, ids and rejections, the same `why:` texts but for the students whose expectation changed in a
// reasoned fixture (their `why:` starts with the review mark and ends with the old text), and recording it again
// changes nothing (it re-records to itself).
import RiskScreen

private let replay: Replay = {
    do {
        return try Replay(rules: fuzzRules)
    } catch {
        fatalError("could not prepare a replay of the fuzzing rules: \(error)")
    }
}()

/// The mark a re-recording of a reasoned fixture puts on each rewritten `why:`.
private let reviewMark = ReviewMark(date: CivilDate(dayNumber: 20_788))

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func recordTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let fixture: Fixture
    do throws(RecordFileError) {
        fixture = try FixtureLoader.load(bytes: bytes, file: "fuzz.yaml", rules: fuzzRules)
    } catch {
        return 0
    }
    // A student written in a form `--record` cannot rewrite safely is refused, and nothing is written: allowed.
    guard let (recorded, changes) = try? replay.record(fixture, overwritingReasoned: reviewMark) else { return 0 }
    if changes.isEmpty && recorded != bytes { contractBroken("a fixture with nothing to re-record was rewritten") }
    if changes.isEmpty { return 0 }
    if fixture.expectations == .reasoned, (try? replay.record(fixture)) != nil {
        contractBroken("a reasoned fixture was rewritten without --overwrite-reasoned")
    }
    let again: Fixture
    do throws(RecordFileError) {
        again = try FixtureLoader.load(bytes: recorded, file: "fuzz.yaml", rules: fuzzRules)
    } catch {
        contractBroken(
            "the recorded fixture no longer loads: \(error)\n--- recorded:\n\(String(decoding: recorded, as: UTF8.self))"
        )
    }
    if again.cases.map(\.record.id) != fixture.cases.map(\.record.id) || again.rejected.count != fixture.rejected.count
    {
        contractBroken(
            "recording changed the students: \(fixture.cases.map(\.record.id)) with \(fixture.rejected.count) rejected became "
                + "\(again.cases.map(\.record.id)) with \(again.rejected.count) rejected")
    }
    var marked: [String: String] = [:]
    for change in changes { marked[change.studentID] = change.markedWhy }
    if fixture.expectations == .recorded && !marked.isEmpty {
        contractBroken("a why: of a recorded fixture was marked")
    }
    for (before, after) in zip(fixture.cases, again.cases) {
        guard let mark = marked[before.record.id] else {
            if before.why != after.why {
                contractBroken(
                    "recording changed the why: of \(before.record.id) from \(String(describing: before.why)) to \(String(describing: after.why))"
                )
            }
            continue
        }
        guard let why = after.why, why == mark, why.hasPrefix(ReviewMark.prefix), why.hasSuffix(before.why ?? "") else {
            contractBroken(
                "the why: of \(before.record.id) was not marked for review: \(String(describing: before.why)) became \(String(describing: after.why))"
            )
        }
    }
    let twice: [UInt8]
    let changesTwice: [Replay.RecordedChange]
    do {
        (twice, changesTwice) = try replay.record(again)
    } catch {
        contractBroken("a recorded fixture is refused when recorded again: \(error)")
    }
    if !changesTwice.isEmpty || twice != recorded {
        contractBroken(
            "a recorded fixture does not re-record to itself (\(changesTwice.count) changes the second time)")
    }
    return 0
}
