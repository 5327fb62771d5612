/// What the command line does around running a program: `-D`, `--bench`, `--output`.
extension Session {
  /// `-D NAME=PROGRAM`: runs PROGRAM, printing nothing, and binds NAME to the value of its
  /// last statement, which must be an expression. Diagnostics name the source
  /// `<define NAME>`. Returns the exit status: 2 for a malformed definition, a syntax error or
  /// a PROGRAM that ends without a value (then nothing runs), 1 for an evaluation error.
  public func define(_ definition: String) -> Int32 {
    let parts = definition.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    let name = String(parts[0]).trimmingSpaces()
    guard parts.count == 2, Self.isIdentifier(name) else {
      report(Diagnostic(.usage("-D expects NAME=PROGRAM, got '\(definition)'"), at: nil))
      return 2
    }
    let file = SourceFile(name: "<define \(name)>", text: String(parts[1]))
    return withLargeStack {
      guard let statements = parse(file) else { return 2 }
      // A program whose last statement has no value is refused before any of it runs; the
      // diagnostic marks that statement, or the whole text of an empty program.
      func refuse(_ lastStatement: String?) -> Int32 {
        let range =
          statements.last?.range ?? SourceRange(file: file, start: 0, end: file.bytes.count)
        let error = Diagnostic(.defineWithoutValue(name, lastStatement: lastStatement), at: range)
        report(error)
        return error.category.exitCode
      }
      let valueExpr: Expr
      switch statements.last?.kind {
      case .expression(let e)?: valueExpr = e
      case .assign?: return refuse("an assignment")
      case .define?: return refuse("a function definition")
      case .assert?: return refuse("an assert")
      case nil: return refuse(nil)
      }
      do throws(Diagnostic) {
        for s in statements.dropLast() { try execute(s, printing: false) }
        cancellation.reset()
        bind(name, try evaluate(valueExpr))
        return 0
      } catch {
        report(error)
        return error.category.exitCode
      }
    }
  }

  static func isIdentifier(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else {
      return false
    }
    return s.unicodeScalars.allSatisfy {
      $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
    }
  }

  /// `--bench`: runs all statements but the last, then times the last one the way
  /// `torch.utils.benchmark.Timer` does: compile once, warm up, and run it repeatedly for at
  /// least half a second; prints its value once and one line of timings to the diagnostics.
  public func benchmark(_ file: SourceFile, keepGoing: Bool = false) -> Int32 {
    withLargeStack {
      guard let statements = parse(file) else { return 2 }
      guard let last = statements.last else { return 0 }
      var status: Int32 = 0
      for s in statements.dropLast() {
        do throws(Diagnostic) {
          try execute(s)
        } catch {
          report(error)
          status = error.category.exitCode
          if !keepGoing { return status }
        }
      }
      let expr: Expr
      switch last.kind {
      case .expression(let e), .assign(_, let e): expr = e
      case .assert(let e, _): expr = e
      case .define:
        report(
          Diagnostic(
            .usage("--bench times an expression; the last statement defines a function"),
            at: last.range))
        return 2
      }
      do throws(Diagnostic) {
        let compiled = try compile(expr)
        let samples = try measure(compiled)
        try execute(last)
        output(
          .diagnostics,
          "bench: median \(Self.format(samples[samples.count / 2])) us, min \(Self.format(samples[0])) us, "
            + "\(samples.count) runs, compile \(Self.format(Self.seconds(compiled.compileTime) * 1e6)) us\n"
        )
      } catch {
        report(error)
        return error.category.exitCode
      }
      return status
    }
  }

  /// Times repeated runs of a compiled expression like `torch.utils.benchmark.Timer`: one
  /// warm-up run, then runs back to back for at least half a second (and at least 5 runs).
  /// Returns the per-run times in microseconds, sorted; `--time` lines are not printed for them.
  public func measure(_ compiled: CompiledExpression) throws(Diagnostic) -> [Double] {
    let showTime = options.showTime
    options.showTime = false
    defer { options.showTime = showTime }
    let start = ContinuousClock.now
    _ = try run(compiled)
    var samples: [Double] = []
    while samples.count < 5 || ContinuousClock.now - start < .milliseconds(500) {
      let t0 = ContinuousClock.now
      _ = try run(compiled)
      samples.append(Self.seconds(ContinuousClock.now - t0) * 1e6)
      if samples.count >= 1_000_000 { break }
    }
    return samples.sorted()
  }

  static func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
  }

  /// Microseconds as `--bench` prints them: whole above 100, else one decimal.
  static func format(_ us: Double) -> String {
    us >= 100 ? String(Int(us.rounded())) : String((us * 10).rounded() / 10)
  }

  /// A duration in microseconds in the unit that reads best, as `torch.utils.benchmark.Timer`
  /// prints it: `8.4 us`, `220.8 ms`, `2.21 s` (four significant digits at most).
  static func readable(_ us: Double) -> String {
    let (value, unit): (Double, String) =
      us >= 1e6 ? (us / 1e6, "s") : us >= 1e3 ? (us / 1e3, "ms") : (us, "us")
    let digits = value >= 100 ? 1 : value >= 10 ? 2 : 3
    let scale = [1.0, 10, 100, 1000][digits]
    var text = String((value * scale).rounded() / scale)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text + " " + unit
  }

  /// `--output FILE`: writes a value by the file's extension; returns the exit status.
  public func save(_ value: Value, to path: String) -> Int32 {
    do throws(Diagnostic) {
      try FileIO.save(value, to: path, range: nil)
      return 0
    } catch {
      report(error)
      return error.category.exitCode
    }
  }
}
