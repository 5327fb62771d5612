extension Session {
  /// The StableHLO module of an expression's optimised graph (``StableHLOModule``); nothing
  /// is evaluated.
  public func exportStableHLO(_ e: Expr) throws(Diagnostic) -> StableHLOModule {
    let c = try compile(e)
    return try StableHLOModule.make(
      c, inputNames: c.inputNames, source: e.range.file.text(of: e.range),
      devices: options.shards ?? 1)
  }

  /// `--emit=stablehlo` on a program's last statement: an expression, or the value of an
  /// assignment, printed as a module and kept as ``lastModule``.
  func emitStableHLO(_ statement: Statement) throws(Diagnostic) {
    cancellation.reset()
    let e: Expr
    switch statement.kind {
    case .expression(let x), .assign(_, let x): e = x
    case .define, .assert:
      throw Diagnostic(
        .exportRefused(
          "a definition or assert", reason: "only a value can be exported",
          help: "end the program with the expression to export"), at: statement.range)
    }
    let module = try exportStableHLO(e)
    lastModule = module
    output(.values, module.text)
  }

  /// `--emit=stablehlo -o FILE`: writes the module to FILE and the value of each of its
  /// arguments beside it, as `STEM.argK.npy` (STEM is FILE without its extension), in the
  /// module's argument order; returns the exit status.
  public func write(_ module: StableHLOModule, to path: String) -> Int32 {
    let stem =
      path.hasSuffix(".mlir") ? String(path.dropLast(5)) : path
    do throws(Diagnostic) {
      try Self.writeFile(Array(module.text.utf8), path)
      for (k, var t) in module.arguments.enumerated() {
        t.kind = .float
        try Self.writeFile(NPY.write(t), "\(stem).arg\(k).npy")
      }
      return 0
    } catch {
      report(error)
      return error.category.exitCode
    }
  }

  private static func writeFile(_ bytes: [UInt8], _ path: String) throws(Diagnostic) {
    do {
      try writeBytes(bytes, to: path)
    } catch {
      throw Diagnostic(.fileWriteError(path, error.reason), at: nil)
    }
  }
}
