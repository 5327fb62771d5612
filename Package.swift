// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "nabla",
  products: [
    .executable(name: "nabla", targets: ["nabla"]),
    .library(name: "NablaCore", targets: ["NablaCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // MARK: - Core library: syntax, IR, primitives, interpreter, session
    .target(
      name: "NablaCore",
      dependencies: ["CKernels", .product(name: "RealModule", package: "swift-numerics")]
    ),
    // Kernels that need CPU-specific instructions, compiled per function and chosen at run time.
    .target(name: "CKernels"),

    // MARK: - Command-line front end (thin)
    .executableTarget(
      name: "nabla",
      dependencies: [
        "NablaCore", "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Release builds link the Swift runtime in: half the start-up time of a one-shot
      // command, and a binary that runs without the toolchain's libraries. (Test bundles link
      // this target's code too, and cannot be static, so debug builds stay dynamic.)
      linkerSettings: [
        .unsafeFlags(
          [
            "-static-stdlib", "-Xlinker", "-l_FoundationCShims", "-Xlinker",
            "-l_FoundationCollections",
          ], .when(configuration: .release))
      ],
      plugins: ["BuildInfo"]
    ),
    // Records the git commit for `nabla --version`.
    .plugin(name: "BuildInfo", capability: .buildTool()),

    // MARK: - System libraries
    // No pkgConfig: tinfo's .pc file adds flags SwiftPM prohibits (-D_DEFAULT_SOURCE, …).
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),

    // MARK: - Fuzzing (build with `swift build --sanitize=fuzzer --product nabla-fuzz`)
    .executableTarget(name: "nabla-fuzz", dependencies: ["NablaCore"]),

    // MARK: - Tests
    .testTarget(name: "NablaCoreTests", dependencies: ["NablaCore"], exclude: ["Fixtures"]),
    .testTarget(name: "NablaCLITests", dependencies: ["nabla"]),
  ]
)
