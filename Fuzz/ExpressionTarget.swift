// Fuzz target: bytes → an expression (the first byte picks where it stands: indicator, escalation or cap, banded
// points, evidence, scale class) → parse, type-check and compile against campus-default's names.
// Contract: no crash or sanitizer report; an expression the compiler gives no code for has an error (the compiler
// may give code and errors together: the loader refuses those), and every error points inside the expression.
import RiskScreen

/// libFuzzer calls this with each input; the contract is in the comment at the top of the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func expressionTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    let contexts = ConditionCheck.Context.allCases
    let context = contexts[Int(first) % contexts.count]
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let outcome = ConditionCheck.check(text, against: fuzzRules, as: context)
    if !outcome.compiled && outcome.errors.isEmpty {
        contractBroken("no code and no error for \(context) expression \(text.debugDescription)")
    }
    let length = text.utf8.count
    for error in outcome.errors where error.offset < 0 || error.offset > length {
        contractBroken(
            "error offset \(error.offset) outside the \(length) bytes of \(text.debugDescription): \(error.message)")
    }
    return 0
}
