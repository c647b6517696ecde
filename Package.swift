// swift-tools-version: 6.1
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "RiskScreen",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RiskScreen", targets: ["RiskScreen"]),
        .executable(name: "riskscreen", targets: ["RiskScreenCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(
            name: "RiskScreen",
            dependencies: ["CYAML"],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "RiskScreenCommand",
            dependencies: [
                "RiskScreen",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "RiskScreenTests",
            dependencies: ["RiskScreen"],
            exclude: ["Rules"],
            swiftSettings: upcomingFeatures
        ),
    ],
    swiftLanguageModes: [.v6]
)
