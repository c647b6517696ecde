// swift-tools-version: 6.1
import PackageDescription

// A program that links RiskScreen as an integrator's would: the library product by path. The name is given because a
// path dependency is otherwise known by its folder's name, which a clone may change.
let package = Package(
    name: "Integrator",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "RiskScreen", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "Integrator",
            dependencies: [.product(name: "RiskScreen", package: "RiskScreen")]
        )
    ],
    swiftLanguageModes: [.v6]
)
