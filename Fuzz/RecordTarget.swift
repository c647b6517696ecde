// Fuzz target: bytes → a fixture of campus-default's schema → `replay --record` → the recorded text loaded and
// recorded again.
// Contract: no crash or sanitizer report; a fixture with nothing to change is written back byte for byte; a recorded
// fixture loads again with the same students, ids, `why:` texts and rejections, and recording it again changes
// nothing (it re-records to itself).
import RiskScreen

private let replay: Replay = {
    do {
        return try Replay(rules: fuzzRules)
    } catch {
        fatalError("could not prepare a replay of the fuzzing rules: \(error)")
    }
}()

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
    guard let (recorded, changes) = try? replay.record(fixture) else { return 0 }
    if changes.isEmpty && recorded != bytes { contractBroken("a fixture with nothing to re-record was rewritten") }
    if changes.isEmpty { return 0 }
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
    for (before, after) in zip(fixture.cases, again.cases) where before.why != after.why {
        contractBroken(
            "recording changed the why: of \(before.record.id) from \(String(describing: before.why)) to \(String(describing: after.why))"
        )
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
