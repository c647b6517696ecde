// swift-tools-version: 6.1
import PackageDescription

// The benchmark package of RiskScreen. It is a package of its own so that the library itself
// depends on nothing but libyaml. Run from this folder:
//
//     swift build -c release --package-path ..      # the `riskscreen` binary, for the end-to-end benchmark
//     swift run -c release ScorerCheck              # proves the hand-written scorer agrees with the engine
//     swift package benchmark                       # every benchmark
//
let package = Package(
    name: "RiskScreenBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "RiskScreen", path: ".."),
    ],
    targets: [
        // The campus-default rules written out by hand, as the reference for what the engine costs.
        .target(
            name: "HandScorer",
            dependencies: [
                .product(name: "RiskScreen", package: "RiskScreen"),
                .product(name: "RiskScreenSynthetic", package: "RiskScreen"),
            ],
            path: "HandScorer"
        ),
        .executableTarget(
            name: "ScorerCheck",
            dependencies: [
                "HandScorer", .product(name: "RiskScreen", package: "RiskScreen"),
                .product(name: "RiskScreenSynthetic", package: "RiskScreen"),
            ],
            path: "Tools/ScorerCheck"
        ),
        .executableTarget(
            name: "RiskScreenBenchmarks",
            dependencies: [
                "HandScorer",
                .product(name: "RiskScreen", package: "RiskScreen"),
                .product(name: "RiskScreenSynthetic", package: "RiskScreen"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "RiskScreenBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
