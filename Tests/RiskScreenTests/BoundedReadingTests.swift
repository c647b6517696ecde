import Foundation
import Testing

@testable import RiskScreen
@testable import RiskScreenRecords
@testable import RiskScreenReplay
@testable import RiskScreenRules
@testable import RiskScreenSupport

/// Inputs too large, or endless, are refused while they are read, quickly, with the limit named.
@Suite struct BoundedReadingTests {
    @Test func anEndlessRecordFileIsRefusedAtItsLimit() throws {
        // A .jsonl that is a link to /dev/zero used to grow memory without bound. It is refused once 64 MB are read:
        // well under a second in a release build; the bound below leaves room for a debug build on a loaded machine.
        let folder = try TestSupport.directory([:])
        let path = folder + "/endless.jsonl"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        let rules = try TestSupport.loadCampus()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: RecordFileError.self) {
            _ = try RecordReader.read(contentsOf: path, schema: rules.schema, encoding: .utf8)
        }
        #expect(clock.now - start < .seconds(5))
        do {
            _ = try RecordReader.read(contentsOf: path, schema: rules.schema, encoding: .utf8)
        } catch {
            #expect(
                error.description
                    == "\(path):1:1: error: found more than 64 MB in \(path), which is not a regular file (a pipe or device); expected a record file of at most 64 MB from a stream: save it to a file first"
            )
        }
    }

    @Test func aHugeRuleFileIsRefusedBeforeItIsRead() throws {
        // The 8 MB limit on rule files used to be checked after the whole file was read (2 GB: 44 s and 6.3 GB).
        let folder = try TestSupport.directory([:])
        let path = folder + "/rules.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 2 << 30)  // sparse: no disk used
        try handle.close()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try RuleSet.load(from: folder)
            Issue.record("expected the rule file to be refused")
        } catch {
            #expect(
                error.diagnostics.map(\.message) == [
                    "found more than 8 MB in \(path); expected a rule file of at most 8 MB"
                ])
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test func aRecordFileOverItsLimitIsRefusedFromItsSize() throws {
        let folder = try TestSupport.directory([:])
        let path = folder + "/big.yaml"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: (1 << 30) + 1)
        try handle.close()
        let rules = try TestSupport.loadCampus()
        do {
            _ = try RecordReader.read(contentsOf: path, schema: rules.schema, encoding: .utf8)
            Issue.record("expected the record file to be refused")
        } catch {
            #expect(error.message == "found more than 1 GB in \(path); expected a YAML record file of at most 1 GB")
        }
    }

    @Test func aNamedPipeWithNoWriterReadsAsEmptyAtOnce() throws {
        // Found by review: opening a FIFO with no writer blocked forever.
        let folder = try TestSupport.directory([:])
        let path = folder + "/pipe.jsonl"
        #expect(mkfifo(path, 0o600) == 0)
        let rules = try TestSupport.loadCampus()
        let clock = ContinuousClock()
        let start = clock.now
        let batch = try RecordReader.read(contentsOf: path, schema: rules.schema, encoding: .utf8)
        #expect(batch.records.isEmpty && batch.rejected.isEmpty)
        #expect(clock.now - start < .seconds(1))
    }
}
