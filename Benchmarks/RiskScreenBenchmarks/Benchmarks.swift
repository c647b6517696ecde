// RiskScreen's benchmarks, run with `swift package benchmark` from the Benchmarks folder.
//
// Every cohort is SyntheticCohort(seed: 42) as of 2026-09-15, a day on which four calendar windows hold (term start,
// freshman intake, autumn recruiting, spring–autumn), so the time nodes of those windows are evaluated.
// Set-up (loading rules, generating and converting students, writing files) happens in `setup:` closures and is not
// measured. Allocation counts are deterministic and have committed thresholds (Thresholds/); times are reported,
// never checked: a shared 2-core machine does not give stable wall-clock times.
//
// The end-to-end benchmark runs the release build of the command: build it first with
// `swift build -c release` in the repository root (it is skipped, with a message, when the binary is missing).
import Benchmark
import Foundation
import HandScorer
import RiskScreen
import RiskScreenSynthetic

/// The repository root, from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let rulesPath = repositoryRoot.appendingPathComponent("Rules/campus-default").path
let asOfText = "2026-09-15"
let asOf = CivilDate(iso: asOfText)!

/// Students scored per second in the measured iteration (wall clock of the work itself).
let studentsPerSecond = BenchmarkMetric.custom("students/s", polarity: .prefersLarger, useScalingFactor: false)
/// The largest resident set of a child process so far (the `riskscreen` runs), in MB.
let childPeakMemory = BenchmarkMetric.custom("child peak RSS (MB)", polarity: .prefersSmaller, useScalingFactor: false)

/// Runs `path` with `arguments` and waits for it: its exit status and its own peak resident memory in kilobytes
/// (`wait4`'s usage of that one process, not of every child so far), or nil when it could not be started.
func runChild(_ path: String, _ arguments: [String]) -> (status: Int32, peakKilobytes: Int)? {
    var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    // Without the benchmark's own preloaded allocator hooks: the command runs as a user runs it.
    var environment: [UnsafeMutablePointer<CChar>?] =
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LD_PRELOAD") }
        .map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for entry in environment { free(entry) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, nil, nil, &argv, &environment) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { return nil }
    // The exit status (WEXITSTATUS), or 128 + the signal that ended it.
    let exit = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exit, Int(usage.ru_maxrss))
}

/// What is checked against Thresholds/: allocation counts with a small tolerance for the thread pool's own
/// allocations, and the peak memory of the streamed runs.
func checkedThresholds(_ metrics: [BenchmarkMetric]) -> [BenchmarkMetric: BenchmarkThresholds]? {
    var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [:]
    // Threads (the dispatch pool, per-thread scratch) add a few allocations from run to run: tolerate up to 10 %
    // or 500 allocations, far below what a change in the per-student path adds (one allocation per student is
    // 10,000 to 200,000 here).
    if metrics.contains(.mallocCountTotal) {
        thresholds[.mallocCountTotal] = .init(relative: [.p90: 10.0], absolute: [.p90: 500])
    }
    // Peak memory moves a little with the allocator and the threads' timing; a streamed run that starts holding
    // the cohort (a few kilobytes a student) grows by far more than 20 %.
    if metrics.contains(.peakMemoryResident) { thresholds[.peakMemoryResident] = .init(relative: [.p90: 20.0]) }
    if metrics.contains(childPeakMemory) { thresholds[childPeakMemory] = .init(relative: [.p90: 20.0]) }
    return thresholds.isEmpty ? nil : thresholds
}

func configuration(
    _ metrics: [BenchmarkMetric], maxDuration: Duration = .seconds(10), maxIterations: Int = 25, warmup: Int = 1
) -> Benchmark.Configuration {
    .init(
        metrics: metrics, warmupIterations: warmup, maxDuration: maxDuration, maxIterations: maxIterations,
        thresholds: checkedThresholds(metrics))
}

/// A folder of this process's own for a benchmark's files (`name`: which benchmark), removed by its teardown.
func scratchDirectory(_ name: String) -> String {
    NSTemporaryDirectory() + "riskscreen-benchmark-\(name)-\(getpid())"
}

func loadRules() throws -> RuleSet {
    do { return try RuleSet.load(from: rulesPath) } catch { throw BenchmarkFailure(description: "\(error)") }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs `work` once, records students per second, and returns its result for `blackHole`.
@inline(__always)
func measureStudents<T>(_ benchmark: Benchmark, _ students: Int, _ work: () -> T) -> T {
    let clock = ContinuousClock()
    let start = clock.now
    let result = work()
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    benchmark.measurement(studentsPerSecond, Int(Double(students) / max(seconds, 1e-9)))
    return result
}

// Names use underscores: `thresholds update` writes file names with them, and `thresholds check` looks the
// files up by the benchmark's name as written, so a name with spaces would never find its thresholds.
let benchmarks: @Sendable () -> Void = {
    let engineMetrics: [BenchmarkMetric] = [
        .wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, studentsPerSecond,
    ]

    // MARK: Rules

    Benchmark(
        "Load_and_compile_campus-default",
        configuration: configuration(
            [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 200)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            do {
                let rules = try RuleSet.load(from: rulesPath)
                blackHole(try ScoringEngine(rules: rules))
            } catch {
                benchmark.error("\(error)")
            }
        }
    }

    // MARK: Scoring in memory

    for size in [10_000, 50_000, 200_000] {
        Benchmark(
            "Engine_assess_\(size / 1000)k_students",
            configuration: configuration(engineMetrics, maxIterations: size >= 200_000 ? 15 : 40)
        ) { (benchmark, state: (engine: ScoringEngine, records: [StudentRecord])) in
            let (engine, records) = state
            blackHole(measureStudents(benchmark, records.count) { engine.assess(records, asOf: asOf, for: .fullView) })
        } setup: {
            let rules = try loadRules()
            let records = SyntheticCohort(rules: rules, seed: 42, asOf: asOf).records(0..<size)
            return (try ScoringEngine(rules: rules), records)
        }
    }

    // The same cohorts through `score`: levels, scores and fired sets without explanations, which is what the
    // hand-written scorer computes too.
    for size in [10_000, 50_000, 200_000] {
        Benchmark(
            "Engine_score_\(size / 1000)k_students",
            configuration: configuration(engineMetrics, maxIterations: size >= 200_000 ? 15 : 40)
        ) { (benchmark, state: (engine: ScoringEngine, records: [StudentRecord])) in
            let (engine, records) = state
            blackHole(measureStudents(benchmark, records.count) { engine.score(records, asOf: asOf, for: .fullView) })
        } setup: {
            let rules = try loadRules()
            let records = SyntheticCohort(rules: rules, seed: 42, asOf: asOf).records(0..<size)
            return (try ScoringEngine(rules: rules), records)
        }
    }

    Benchmark(
        "Hand-written_scorer_50k_students",
        configuration: configuration(engineMetrics, maxIterations: 100)
    ) { (benchmark, students: [HandStudent]) in
        let scorer = HandScorer(asOf: asOf)
        blackHole(measureStudents(benchmark, students.count) { scorer.score(students) })
    } setup: {
        let rules = try loadRules()
        return try HandStudent.convert(SyntheticCohort(rules: rules, seed: 42, asOf: asOf), 0..<50_000)
    }

    // MARK: Reading records

    Benchmark(
        "Read_100k_students_from_JSON_Lines",
        configuration: configuration(engineMetrics, maxDuration: .seconds(30), maxIterations: 5, warmup: 0)
    ) { (benchmark, state: (schema: Schema, bytes: [UInt8])) in
        let (schema, bytes) = state
        blackHole(
            measureStudents(benchmark, 100_000) {
                RecordReader.readJSONLines(bytes, file: "students.jsonl", schema: schema)
            })
    } setup: {
        let rules = try loadRules()
        let bytes = Array(SyntheticCohort(rules: rules, seed: 42, asOf: asOf).jsonLines(0..<100_000).utf8)
        return (rules.schema, bytes)
    }

    Benchmark(
        "Read_100k_students_from_CSV_tables",
        configuration: configuration(engineMetrics, maxDuration: .seconds(30), maxIterations: 5, warmup: 0)
    ) { (benchmark, state: (schema: Schema, directory: String)) in
        let (schema, directory) = state
        blackHole(
            measureStudents(benchmark, 100_000) { () -> RecordBatch? in
                try? CSVReader.read(
                    students: directory + "/students.csv", events: directory + "/events.csv",
                    scales: directory + "/scales.csv", schema: schema)
            })
    } setup: {
        let rules = try loadRules()
        let tables = SyntheticCohort(rules: rules, seed: 42, asOf: asOf).csvTables(0..<100_000)
        let directory = scratchDirectory("csv")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(tables.students.utf8).write(to: URL(fileURLWithPath: directory + "/students.csv"))
        try Data(tables.events.utf8).write(to: URL(fileURLWithPath: directory + "/events.csv"))
        try Data(tables.scales.utf8).write(to: URL(fileURLWithPath: directory + "/scales.csv"))
        guard
            let batch = try? CSVReader.read(
                students: directory + "/students.csv", events: directory + "/events.csv",
                scales: directory + "/scales.csv",
                schema: rules.schema), batch.records.count == 100_000, batch.rejected.isEmpty
        else { throw BenchmarkFailure(description: "the generated CSV tables did not read back as 100,000 students") }
        return (rules.schema, directory)
    } teardown: {
        try? FileManager.default.removeItem(atPath: scratchDirectory("csv"))
    }

    // MARK: A cohort streamed through the library

    // What an integrator's province-wide run does: a JSON Lines file read 8 MB at a time, each chunk scored (cohort
    // rules in a second pass) and added to the summary; only a chunk is held at a time, so peak memory and
    // allocations per student are checked.
    Benchmark(
        "Stream_100k_students_JSON_Lines_in_chunks",
        configuration: configuration(
            [.wallClock, .mallocCountTotal, .peakMemoryResident, studentsPerSecond], maxDuration: .seconds(60),
            maxIterations: 5, warmup: 0)
    ) { (benchmark, state: (engine: ScoringEngine, path: String)) in
        let (engine, path) = state
        blackHole(
            measureStudents(benchmark, 100_000) { () -> BatchSummary? in
                var summary = BatchSummary.Builder(rules: engine.rules)
                var scored = 0
                do {
                    try engine.assess(
                        chunks: { each in
                            try RecordReader.readJSONLines(contentsOf: path, schema: engine.rules.schema) {
                                try each($0.records)
                            }
                        }, asOf: asOf
                    ) { records, assessments in
                        summary.add(records, assessments, firstIndex: scored)
                        scored += records.count
                    }
                } catch {
                    benchmark.error("could not stream \(path): \(error)")
                    return nil
                }
                return summary.summary()
            })
    } setup: {
        let rules = try loadRules()
        let directory = scratchDirectory("stream")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = SyntheticCohort(rules: rules, seed: 42, asOf: asOf).jsonLines(0..<100_000)
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/students.jsonl"))
        return (try ScoringEngine(rules: rules), directory + "/students.jsonl")
    } teardown: {
        try? FileManager.default.removeItem(atPath: scratchDirectory("stream"))
    }

    // MARK: The command, end to end

    let binary = repositoryRoot.appendingPathComponent(".build/release/riskscreen").path
    if FileManager.default.isExecutableFile(atPath: binary) {
        Benchmark(
            "riskscreen_score_100k_students_JSONL_to_JSON",
            configuration: configuration(
                [.wallClock, studentsPerSecond, childPeakMemory], maxDuration: .seconds(40), maxIterations: 5,
                warmup: 0
            )
        ) { (benchmark, directory: String) in
            let arguments = [
                "score", "--rules", rulesPath, "--as-of", asOfText, directory + "/students.jsonl", "--format", "json",
                "--output", directory + "/assessments.jsonl", "--summary", directory + "/summary.txt",
            ]
            let run = measureStudents(benchmark, 100_000) { runChild(binary, arguments) }
            guard let run, run.status == 0 else {
                benchmark.error("riskscreen score did not run to the end: \(String(describing: run))")
                return
            }
            benchmark.measurement(childPeakMemory, run.peakKilobytes / 1024)
        } setup: {
            let directory = scratchDirectory("score")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Written by the command itself, so that this process never holds the students: a child's peak memory
            // starts from its parent's when it is started (Linux counts the parent's pages until the exec).
            let generated = runChild(
                binary,
                [
                    "generate", "--students", "100000", "--seed", "42", "--as-of", asOfText, "--rules", rulesPath,
                    "--output", directory + "/students.jsonl",
                ])
            guard generated?.status == 0 else {
                throw BenchmarkFailure(description: "riskscreen generate failed: \(String(describing: generated))")
            }
            return directory
        } teardown: {
            try? FileManager.default.removeItem(atPath: scratchDirectory("score"))
        }
    } else {
        print(
            "riskscreen score benchmark skipped: build \(binary) first with `swift build -c release` in the repository root"
        )
    }
}
