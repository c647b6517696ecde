// Shared by every fuzz target (compiled with each by Fuzz/run): the rule set records are read against.
import Foundation
import RiskScreen

/// campus-default (or the rule set `RISKSCREEN_FUZZ_RULES` names), loaded once from the repository.
let fuzzRules: RuleSet = {
    let path = ProcessInfo.processInfo.environment["RISKSCREEN_FUZZ_RULES"] ?? "Rules/campus-default"
    do {
        return try RuleSet.load(from: path)
    } catch {
        fatalError("could not load \(path) for fuzzing (run from the repository's top folder): \(error)")
    }
}()

/// The fuzzer's input as an array.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run as a crash that libFuzzer records with its input: a broken contract, not a refused input.
func contractBroken(_ message: String) -> Never {
    fatalError("fuzz contract broken: \(message)")
}

/// A reader's batch keeps its contract: every rejection has a line and a reason, and no student is read twice.
func checkBatch(_ batch: RecordBatch) {
    for error in batch.rejected where error.location.line < 1 || error.message.isEmpty {
        contractBroken("a rejection without a line or a reason: \(error)")
    }
    var seen = Set<String>()
    for record in batch.records where !seen.insert(record.id).inserted {
        contractBroken("student \(record.id.debugDescription) read twice")
    }
}
