import Foundation
import Testing

@testable import NablaCore

/// `--emit=stablehlo` modules run on XLA (`scripts/run-stablehlo`, one Python process per
/// test) give what nabla's own evaluation gives: the PEERS workloads in every spelling and
/// the op table's primitives, values and first derivatives, in float32 (within round-off)
/// and float64 (within 1e-12). Skipped where python3 cannot import JAX.
@Suite struct StableHLOExportTests {
  static let hasJAX = canImport("jax, numpy")

  /// The spellings of `W x + b` that PEERS.md times.
  static let spellings = ["W*x + b", "W@x + b", "sum(W .* x, dim=1) + b", "linear(x, W, b)"]

  /// W1–W8 of PEERS.md at small sizes, in every spelling.
  static let workloads: [String] =
    spellings.flatMap { s in
      [
        "predict(W, b, x) = tanh(\(s)); jacrev(predict, argnums=2)(W, b, x)",
        "predict(W, b, x) = tanh(\(s)); jacfwd(predict, argnums=2)(W, b, x)",
        "predict(W, b, x) = tanh(\(s)); hessian(predict, argnums=2)(W, b, x)",
        "predict(W, b, x) = tanh(\(s)); jacfwd(jacfwd(predict, argnums=2), argnums=2)(W, b, x)",
        "predict(W, b, x) = tanh(\(s)); jacrev(jacrev(predict, argnums=2), argnums=2)(W, b, x)",
        "predict(W, b, x) = tanh(\(s)); "
          + "vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))(W, b, xs)",
        "predict(W, b, x) = tanh(\(s)); "
          + "vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))(W, b, xs)",
        "predict(W, b, x) = tanh(\(s)); jacrev(predict, argnums=(0, 1))(W, b, x)",
      ]
    } + [
      "f(x) = sum(sin(x)); hvp(f, (x,), (v,))",
      "f(x) = sum(sin(x)); vjp(grad(f), x)[1](v)",
      "sum(sin(x))", "grad(x -> sum(sin(x)))(x)",
      "jacrev(x -> x[[2, 0, 1, 1]] * x[[0, 1, 2, 3]])(x)",
      "grad(x -> sum(sin(x[[2, 0, 1, 1]])))(x)",
    ]

  @Test(.enabled(if: hasJAX, "python3 with JAX is not installed"))
  func workloadsRunOnXLAAsInNabla() throws {
    try Self.check(try Self.workloadCases(sizes: (4, 5, 3), devices: 1))
  }

  /// `--shard 8`: the same workloads on 8 simulated CPU devices give the same numbers, and the
  /// HLO XLA compiles holds each split result's per-device shape (the partitioned axis).
  @Test(.enabled(if: hasJAX, "python3 with JAX is not installed"))
  func shardedWorkloadsRunOnEightDevicesAsInNabla() throws {
    try Self.check(try Self.workloadCases(sizes: (16, 8, 8), devices: 8), devices: 8)
  }

  /// The workloads with `W` of `sizes.out × sizes.in` and `xs` of `sizes.batch` rows, in both
  /// dtypes, exported for `devices` devices.
  static func workloadCases(sizes: (out: Int, in: Int, batch: Int), devices: Int) throws
    -> [Case]
  {
    let (m, n, batch) = sizes
    let setup =
      "seed(0); W = randn(\(m), \(n)); b = randn(\(m)); x = randn(\(n)); "
      + "xs = randn(\(batch), \(n)); v = randn(\(n))"
    return try sessionCases(Self.workloads, setup: setup, devices: devices)
  }

  /// The linear algebra (LAPACK through JAX's custom calls, and `stablehlo.cholesky`) as a
  /// user writes it: values, batches, pivoting, tall and wide matrices, a singular matrix
  /// (`det`, the adjugate and `pinv` there), indefinite symmetric parts, and derivatives.
  static let linearAlgebra: [String] = [
    "solve(A, B)", "solve(As, Bs)", "inv(A)", "inv(As)", "det(A)", "det(As)", "det(Z)",
    "cholesky(S)", "cholesky(As)", "vmap(v -> solve(A, v))(xs)",
    "grad(A -> sum(solve(A, B) ** 2))(A)", "jacfwd(inv)(A)", "jacrev(x -> inv(A) @ sin(x))(x)",
    "jacfwd(cholesky)(S)", "jacrev(cholesky)(Ss)", "hessian(x -> sum(solve(S, x) * x))(x)",
    "grad(det)(A)", "grad(det)(Z)", "hessian(det)(As[0])", "adjugate(As)", "adjugate(Z)",
    "eigh(As)", "eigh(S)", "svd(A[:, :3])", "svd(As[:, :2, :])", "qr(A[:, :3])", "qr(B.T)",
    "qr(As)", "pinv(A[:3, :])", "pinv(Z)", "jacrev(x -> eigh(x)[1])(S)",
    "jacfwd(x -> svd(x)[0])(A[:, :3])", "grad(x -> sum(qr(x)[1] ** 2))(A)",
    "jacrev(pinv)(As[0, :2, :])",
  ]

  @Test(.enabled(if: hasJAX, "python3 with JAX is not installed"))
  func linearAlgebraRunsOnXLAAsInNabla() throws {
    let setup =
      "seed(1); A = randn(4, 4); As = randn(2, 3, 3); B = randn(4, 2); Bs = randn(2, 3, 2); "
      + "x = randn(4); xs = randn(3, 4); Z = [[1.0, 2, 3], [2, 4, 6], [1, 0, 1]]; "
      + "S = A @ A.T + eye(4); Ss = As @ transpose(As, -1, -2) + eye(3)"
    try Self.check(try Self.sessionCases(Self.linearAlgebra, setup: setup, devices: 1))
  }

  /// The `programs` run after `setup` in both dtypes, exported for `devices` devices.
  static func sessionCases(_ programs: [String], setup: String, devices: Int) throws -> [Case] {
    var cases: [Case] = []
    for dtype in DType.allCases {
      for program in programs {
        let session = Session()
        session.options.dtype = dtype
        session.options.shards = devices
        try #require(session.run(SourceFile(name: "<setup>", text: setup)) == 0)
        let statements = try Parser.parse(SourceFile(name: "<test>", text: program))
        for s in statements.dropLast() { try session.execute(s) }
        guard case .expression(let e)? = statements.last?.kind else { continue }
        let module = try session.exportStableHLO(e)
        let expected = try Self.leaves(session.evaluate(e))
        cases.append(Case(name: "\(program) [\(dtype)]", module: module, expected: expected))
      }
    }
    return cases
  }

  /// Every op-table primitive StableHLO can express: its value with its JVP, and with its VJP
  /// (the transpose rules), as the transforms of one-equation graphs.
  @Test(.enabled(if: hasJAX, "python3 with JAX is not installed"))
  func opTablePrimitivesRunOnXLAAsInNabla() throws {
    var cases: [Case] = []
    for s in OpTable.samples where Self.isExported(s.primitive) {
      for dtype in s.dtypes {
        let b = GraphBuilder()
        let inputs = s.inputs.map { b.input(TensorType(dtype, $0)) }
        let g = b.finish(outputs: [try b.emit(s.primitive, inputs)])
        let operands = OpTable.operands(s, dtype)
        let all = Array(repeating: true, count: operands.count)
        let jvp = try JVP.transform(g, hasTangent: all)
        let vjp = try VJP.transform(g, wrt: all)
        let tangents = operands.map { t in
          Tensor(shape: t.shape, values: t.doubles.map { 0.5 - $0 / 3 }, dtype: t.dtype)
        }
        let outputType = g.type(of: g.outputs[0])
        let cotangent = Tensor(
          shape: outputType.shape,
          values: (0..<outputType.count).map { Double($0 % 5) - 1.5 }, dtype: outputType.dtype)
        // the JVP's and VJP's graphs return the value too
        for (graph, arguments, what) in [
          (jvp, operands + tangents, "value and jvp"),
          (vjp, operands + [cotangent], "value and vjp"),
        ] {
          let expected = try Interpreter().run(graph, inputs: arguments)
          let module = try StableHLOModule.make(graph, arguments: arguments, source: "\(s)")
          cases.append(Case(name: "\(what) of \(s) [\(dtype)]", module: module, expected: expected))
        }
      }
    }
    try Self.check(cases)
  }

  /// What a module cannot hold is refused, naming it, at its source: a value that is not a
  /// tensor and a statement that writes a file. (Every primitive of the op table exports;
  /// custom-derivative calls, the one refused kind, are inlined before export.)
  @Test func whatAModuleCannotHoldIsRefusedNamingIt() throws {
    let custom: Set<Primitive.Kind> = [.customJVP, .customVJP, .customVJPTangent]
    #expect(
      OpTable.samples.allSatisfy {
        custom.contains($0.primitive.kind) || Self.isExported($0.primitive)
      })
    let session = Session()
    try #require(session.run(SourceFile(name: "<setup>", text: "x = randn(4)")) == 0)
    for (program, name) in [("x.shape", "the integer 4"), ("save(\"x.npy\", x)", "'save'")] {
      let statements = try Parser.parse(SourceFile(name: "<test>", text: program))
      guard case .expression(let e)? = statements.first?.kind else { continue }
      #expect(throws: Diagnostic.self) { try session.exportStableHLO(e) }
      do {
        _ = try session.exportStableHLO(e)
      } catch {
        #expect(error.message.id == "exportRefused(_:reason:help:)")
        #expect(error.message.text.contains(name), "\(error.message.text)")
        #expect(error.range != nil)
      }
    }
  }

  static func isExported(_ p: Primitive) -> Bool {
    if case .refused = p.stableHLO { return false }
    return true
  }

  struct Case {
    var name: String
    var module: StableHLOModule
    var expected: [Tensor]
  }

  /// The tensors of a value, depth-first.
  static func leaves(_ v: Value) -> [Tensor] {
    switch v {
    case .tensor(let t): [t]
    case .tuple(let items): items.flatMap(leaves)
    default: []
    }
  }

  /// Writes every module, runs them all in one `run-stablehlo --manifest`, and compares.
  static func check(
    _ cases: [Case], devices: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "nabla-stablehlo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var manifest = ""
    let session = Session()
    for (k, c) in cases.enumerated() {
      let path = dir.appendingPathComponent("m\(k).mlir").path
      try #require(session.write(c.module, to: path) == 0)
      manifest +=
        ([path] + c.module.arguments.indices.map { "\(dir.path)/m\(k).arg\($0).npy" })
        .joined(separator: "\t") + "\n"
    }
    let manifestPath = dir.appendingPathComponent("manifest").path
    try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    let sharding = devices > 1 ? ["--devices", "\(devices)", "--hlo"] : []
    let (status, errors) = try runScript(["--manifest", manifestPath, "--quiet"] + sharding)
    #expect(status == 0, "run-stablehlo: \(errors)", sourceLocation: sourceLocation)
    for (k, c) in cases.enumerated() {
      #expect(!c.expected.isEmpty, "\(c.name): nothing to compare", sourceLocation: sourceLocation)
      for (r, e) in c.expected.enumerated() {
        let path = "\(dir.path)/m\(k).result\(r).npy"
        guard let bytes = try? readBytes(path) else {
          Issue.record("\(c.name): no result \(r)", sourceLocation: sourceLocation)
          break
        }
        let got = try NPY.read(bytes)
        compare(got, e, c.name + " result \(r)", sourceLocation)
        if devices > 1, let axis = StableHLOSharding.splitAxis(e.shape, devices: devices) {
          // the compiled entry computation returns the result's slice on one device
          var slice = e.shape
          slice[axis] /= devices
          let shape = "\(e.dtype.rawValue)[\(slice.map(String.init).joined(separator: ","))]"
          let hlo = (try? readText("\(dir.path)/m\(k).hlo.txt")) ?? ""
          let layout = hlo.split(separator: "\n").first { $0.contains("entry_computation_layout") }
          #expect(
            layout?.contains("->") == true
              && layout?.split(separator: "->").last?.contains(shape) == true,
            "\(c.name) result \(r): no \(shape) in \(layout ?? "the HLO")",
            sourceLocation: sourceLocation)
        }
      }
    }
  }

  /// float64 within 1e-12, float32 within a few units of round-off, relative to the larger
  /// of the element and the result's largest magnitude (sums cancel).
  static func compare(_ a: Tensor, _ e: Tensor, _ name: String, _ location: SourceLocation) {
    guard a.shape == e.shape, a.dtype == e.dtype else {
      Issue.record("\(name): XLA gave \(a.type), nabla \(e.type)", sourceLocation: location)
      return
    }
    let tolerance = e.dtype == .f64 ? 1e-12 : 1e-5
    let scale = e.doubles.map(Swift.abs).filter(\.isFinite).max() ?? 0
    for (i, (x, y)) in zip(a.doubles, e.doubles).enumerated() {
      let close = x == y || (x.isNaN && y.isNaN) || abs(x - y) <= tolerance * max(1, abs(y), scale)
      if !close {
        Issue.record(
          "\(name): element \(i) XLA \(x), nabla \(y), |Δ| \(abs(x - y))", sourceLocation: location)
        return
      }
    }
  }

  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/run-stablehlo").path

  static func runScript(_ arguments: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script] + arguments
    let err = Pipe()
    p.standardError = err
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  static func canImport(_ modules: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import \(modules)"]
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
}
