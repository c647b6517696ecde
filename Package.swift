// swift-tools-version: 6.1
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "RiskScreen",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RiskScreen", targets: ["RiskScreen"]),
        .library(name: "RiskScreenSynthetic", targets: ["RiskScreenSynthetic"]),
        .executable(name: "riskscreen", targets: ["RiskScreenCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // `swift package generate-documentation` (.ci/docs); a command plugin, not linked into any product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // The library's stages, in the order data flows; each imports only earlier ones (checked by StageOrderTests).
        .target(name: "RiskScreenSupport", swiftSettings: settings),
        .target(name: "RiskScreenYAML", dependencies: ["CYAML", "RiskScreenSupport"], swiftSettings: settings),
        .target(
            name: "RiskScreenRules", dependencies: ["RiskScreenSupport", "RiskScreenYAML"], swiftSettings: settings),
        .target(
            name: "RiskScreenRecords", dependencies: ["RiskScreenSupport", "RiskScreenYAML", "RiskScreenRules"],
            swiftSettings: settings),
        .target(
            name: "RiskScreenScoring", dependencies: ["RiskScreenSupport", "RiskScreenRules", "RiskScreenRecords"],
            swiftSettings: settings),
        .target(
            name: "RiskScreenReplay",
            dependencies: [
                "RiskScreenSupport", "RiskScreenYAML", "RiskScreenRules", "RiskScreenRecords", "RiskScreenScoring",
            ],
            swiftSettings: settings),
        // What the library product shows: the stages, re-exported.
        .target(
            name: "RiskScreen",
            dependencies: [
                "RiskScreenSupport", "RiskScreenYAML", "RiskScreenRules", "RiskScreenRecords", "RiskScreenScoring",
                "RiskScreenReplay",
            ],
            swiftSettings: settings),
        // Generated students for the command, tests, benchmarks and fuzzers; not part of the library product.
        .target(
            name: "RiskScreenSynthetic",
            dependencies: ["RiskScreenSupport", "RiskScreenRules", "RiskScreenRecords", "RiskScreenScoring"],
            swiftSettings: settings),
        // The centre's HTML report for the command (a Mustache template); not part of the library product.
        .target(
            name: "RiskScreenReport",
            dependencies: ["RiskScreen", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: settings),
        .executableTarget(
            name: "RiskScreenCommand",
            dependencies: [
                // RiskScreenSupport for its storage SPI (BlockColumn); the rest through RiskScreen.
                "RiskScreen", "RiskScreenSupport", "RiskScreenSynthetic", "RiskScreenReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RiskScreenTests",
            dependencies: ["RiskScreen", "RiskScreenSynthetic", "RiskScreenReport", "RiskScreenCommand"],
            exclude: ["Rules"],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
