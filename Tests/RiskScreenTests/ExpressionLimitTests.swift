import Foundation
import Synchronization
import Testing

@testable import RiskScreen
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenScoring
@testable import RiskScreenYAML

/// Conditions of hostile size: refused with a located error, never a crash, even on a small thread stack.
@Suite struct ExpressionLimitTests {
    /// A rule set whose one indicator has `condition`.
    static func ruleFile(_ condition: String) -> String {
        """
        schema:
          fields:
            failed: integer
            mood: boolean
        levels:
          - id: none
          - id: attention
            from: 1
        indicators:
          - id: long
            label: Long
            dimension: knowable
            when: "\(condition)"
            points: 1

        """
    }

    static func messages(_ condition: String) throws -> [String] { try TestSupport.ruleErrors(ruleFile(condition)) }

    @Test(arguments: [
        ("1+1", "+", 2_000),
        ("mood", " or ", 3_000),
        ("mood", " and ", 3_000),
        ("failed", " * ", 2_000),
        ("failed", " - ", 2_000),
    ])
    func aLongChainOfOperatorsIsRefusedWithItsPlace(term: String, separator: String, count: Int) throws {
        var condition = Array(repeating: term, count: count).joined(separator: separator)
        if separator != " or " && separator != " and " { condition += " > 0" }
        let found = try Self.messages(condition)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("13:") == true)
        #expect(found.first?.contains("found a condition more than \(ExpressionParser.maxHeight) levels deep") == true)
    }

    @Test(arguments: [
        String(repeating: "(", count: 40) + "mood" + String(repeating: ")", count: 40),
        String(repeating: "not ", count: 40) + "mood",
        String(repeating: "-", count: 40) + "failed > 0",
        String(repeating: "(mood and ", count: 40) + "mood" + String(repeating: ")", count: 40),
        String(repeating: "max(1, ", count: 40) + "failed" + String(repeating: ")", count: 40) + " > 0",
        String(repeating: "max(1, ", count: 9) + "failed" + String(repeating: ")", count: 9) + " > 0",
    ])
    func deepNestingIsRefusedWithItsPlace(condition: String) throws {
        let found = try Self.messages(condition)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("13:") == true)
        #expect(found.first?.contains("found a condition nested more than \(ExpressionParser.maxNesting) deep") == true)
    }

    /// The longest accepted chain, and the deepest accepted nesting of every kind.
    static let tallestAccepted = [
        Array(repeating: "failed", count: ExpressionParser.maxHeight - 1).joined(separator: " + ") + " > 0",
        Array(repeating: "mood", count: ExpressionParser.maxHeight).joined(separator: " or "),
        String(repeating: "(mood and ", count: ExpressionParser.maxNesting - 1) + "mood"
            + String(repeating: ")", count: ExpressionParser.maxNesting - 1),
        String(repeating: "not ", count: ExpressionParser.maxNesting - 1) + "mood",
        String(repeating: "(1 + ", count: ExpressionParser.maxNesting - 3) + "failed"
            + String(repeating: ")", count: ExpressionParser.maxNesting - 3) + " > 0",
        // Calls count two levels each (found by review: 12 nested calls overflowed a 512 KB stack).
        String(repeating: "max(1, ", count: (ExpressionParser.maxNesting - 2) / 2) + "failed"
            + String(repeating: ")", count: (ExpressionParser.maxNesting - 2) / 2) + " > 0",
        String(repeating: "-", count: ExpressionParser.maxNesting - 3) + "failed > 0",
        String(repeating: "not (failed > 1 and ", count: ExpressionParser.maxNesting / 2 - 1) + "mood"
            + String(repeating: ")", count: ExpressionParser.maxNesting / 2 - 1),
    ]

    @Test func theLongestAndDeepestAcceptedConditionsLoad() throws {
        for condition in Self.tallestAccepted {
            #expect(try Self.messages(condition).isEmpty, "\(condition.prefix(60))")
        }
    }

    @Test func theLongestAndDeepestAcceptedConditionsLoadOnA512KilobyteThreadStack() throws {
        // A library caller off the main thread may have a 512 KB stack; a chain of 137 terms used to overflow it
        // (the compiler recursed once per operator). Every accepted condition must load there, in a debug build.
        var files: [String: String] = [:]
        for (index, condition) in Self.tallestAccepted.enumerated() {
            files["\(index)/rules.yaml"] = Self.ruleFile(condition)
        }
        let path = try TestSupport.directory(files)
        let count = Self.tallestAccepted.count
        let outcome = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for index in 0..<count {
                do {
                    let rules = try RuleSet.load(from: path + "/\(index)")
                    outcome.withLock { $0.append("loaded \(rules.indicators.count)") }
                } catch let error as RuleSetError {
                    outcome.withLock { $0.append("\(error.diagnostics.map(\.message))") }
                } catch {
                    outcome.withLock { $0.append("\(error)") }
                }
            }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        #expect(outcome.withLock { $0 } == Array(repeating: "loaded 1", count: count))
    }
}
