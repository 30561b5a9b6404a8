// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "dvk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dvk", targets: ["dvk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "DVKCore", swiftSettings: strict),
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        // zlib, for reading uploaded workbooks (ZIPFoundation's own module is named CZLib).
        .systemLibrary(name: "CInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // What DVK sets in SQLite that Swift cannot reach: a C function of variable arguments,
        // and the writer's file layer, whose log writes reach the file once a commit.
        .systemLibrary(name: "CSQLiteConfig"),
        .target(
            name: "DVKDocuments",
            dependencies: [
                "DVKCore",
                "CPangoCairo",
                "CInflate",
                "CQREncode",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DVKApp",
            dependencies: [
                "DVKCore",
                "DVKDocuments",
                "CSQLiteConfig",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "dvk", dependencies: ["DVKApp"], swiftSettings: strict),
        // The tests' way to run an outside program (an oracle reader, sha256sum) with a deadline.
        .target(name: "TestPrograms", path: "Tests/TestPrograms", swiftSettings: strict),
        .testTarget(name: "DVKCoreTests", dependencies: ["DVKCore", "TestPrograms", .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strict),
        .testTarget(name: "DVKDocumentsTests", dependencies: ["DVKDocuments", "TestPrograms", .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strict),
        .testTarget(
            name: "DVKAppTests",
            dependencies: [
                "DVKApp",
                "TestPrograms",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ]
)
