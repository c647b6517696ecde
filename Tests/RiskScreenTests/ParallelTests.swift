import Synchronization
import Testing

@testable import RiskScreenSupport

/// The one parallel helper: its worker-count rule, its split, and its loops above the threshold where they start
/// threads (a `cores:` above 1 and a small minimum per worker, so the threaded path runs on any machine).
@Suite struct ParallelTests {
    @Test(arguments: [
        // (items, cores, minimum per worker, workers)
        (0, 2, 1024, 1), (1, 2, 1024, 1), (2047, 2, 1024, 1), (2048, 2, 1024, 2), (100_000, 2, 1024, 2),
        (3_100, 8, 1024, 3), (5, 8, 1, 5), (5, 3, 1, 3), (5, 8, 2, 2), (5, 8, 0, 5), (10, 0, 1, 1), (10, -3, 1, 1),
        (1 << 20, 2, 512 << 10, 2), ((1 << 20) - 1, 2, 512 << 10, 1),
    ])
    func workerCountIsCoresCappedByTheMinimumPerWorker(items: Int, cores: Int, minimum: Int, workers: Int) {
        #expect(Parallel.workerCount(items: items, minimumPerWorker: minimum, cores: cores) == workers)
    }

    @Test func partsCoverEveryItemOnceInOrderWithSizesWithinOne() {
        for items in 0...40 {
            for parts in 1...12 {
                let ranges = (0..<parts).map { Parallel.range(ofPart: $0, parts: parts, items: items) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == items, "\(items) items in \(parts)")
                #expect(
                    zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound },
                    "\(items) in \(parts)")
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(items) items in \(parts): \(sizes)")
                #expect(sizes.filter { $0 == 0 }.count == max(0, parts - items), "\(items) items in \(parts): \(sizes)")
            }
        }
    }

    @Test(arguments: [
        // (items, parts): none, one, more parts than items, uneven splits, many.
        (0, 1), (1, 1), (1, 4), (3, 8), (7, 2), (7, 3), (10_000, 2), (10_001, 7),
    ])
    func forEachPartVisitsEveryIndexExactlyOnce(items: Int, parts: Int) {
        let visits = Mutex([Int](repeating: 0, count: items))
        let partsRun = Mutex([Int](repeating: 0, count: parts))
        Parallel.forEachPart(items: items, parts: parts) { part, range in
            partsRun.withLock { $0[part] += 1 }
            visits.withLock { visits in for index in range { visits[index] += 1 } }
        }
        #expect(partsRun.withLock { $0 } == [Int](repeating: 1, count: parts))
        let counts = visits.withLock { $0 }
        #expect(
            counts.allSatisfy { $0 == 1 },
            "indices not visited once: \(counts.indices.filter { counts[$0] != 1 }.prefix(10))")
    }

    @Test func mapPartsReturnsEachPartsResultInPartOrder() {
        let parts = Parallel.mapParts(items: 10, parts: 4) { part, range in [part, range.lowerBound, range.upperBound] }
        #expect(parts == [[0, 0, 3], [1, 3, 6], [2, 6, 8], [3, 8, 10]])
        #expect(Parallel.map(parts: 0) { $0 }.isEmpty)
        #expect(Parallel.map(parts: 5) { $0 * $0 } == [0, 1, 4, 9, 16])
    }

    @Test(arguments: [0, 1, 2, 5, 1023, 1024, 1025, 4097, 10_007], [1, 2, 3, 8])
    func mapKeepsOrder(items: Int, cores: Int) {
        let elements = Array(0..<items)
        // A minimum of 1 per worker puts `cores` workers on anything with that many items (uneven splits included).
        let mapped = Parallel.map(elements, minimumPerWorker: 1, cores: cores) { $0 * 3 + 1 }
        #expect(mapped == elements.map { $0 * 3 + 1 })
        // Texts: results that own memory are initialized once each.
        #expect(Parallel.map(elements, minimumPerWorker: 1, cores: cores) { "#\($0)" } == elements.map { "#\($0)" })
    }

    @Test(arguments: [0, 1, 3, 100, 2049], [1, 2, 5])
    func renderedLinesJoinToTheLinesInOrder(items: Int, cores: Int) {
        // A slice that does not start at 0, as the command passes.
        let all = Array(0..<(items + 17))
        let elements = all[17...]
        let parts = Parallel.renderedLines(elements, separator: "\r\n", minimumPerWorker: 1, cores: cores) {
            $1.append(contentsOf: "line \($0)".utf8)
        }
        #expect(parts.count == Parallel.workerCount(items: items, minimumPerWorker: 1, cores: cores))
        #expect(parts.joined().elementsEqual(elements.map { "line \($0)\r\n" }.joined().utf8))
        #expect(parts.allSatisfy { $0.isEmpty || $0.suffix(2) == [0x0D, 0x0A] })
    }
}
