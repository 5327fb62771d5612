/// The REPL's `:commands`: help, variables, graphs, timing, files, settings.
enum ReplCommand {
  static let names = [
    ":help", ":vars", ":results", ":graph", ":emit", ":explain", ":formula", ":time", ":load",
    ":save",
    ":reset", ":seed", ":dtype", ":format", ":precision", ":nans", ":quit",
  ]

  static let summaries: [(String, String)] = [
    (":help [topic]", "help on nabla, a built-in, a transform or a command"),
    (":vars", "the session's bindings and their types"),
    (":results [N]", "the last N printed results (all by default), numbered as _1, _2, …"),
    (":emit stablehlo EXPR", "EXPR's optimised graph as a StableHLO module for XLA, not evaluated"),
    (":explain EXPR", "the modes EXPR's Jacobians could run in, their predicted cost, the choice"),
    (":formula f[, a…]", "the formula f computes, for scalars or arguments shaped like a…"),
    (":graph EXPR", "the SSA graph nabla runs for EXPR; :graph f, a… for a function on a…"),
    (
      ":time EXPR", "time EXPR like torch.utils.benchmark.Timer: median and spread of repeated runs"
    ),
    (":load FILE", "run a script in this session"),
    (":save FILE", "write the session's definitions as a script that reproduces it"),
    (":reset", "forget every binding and reseed"),
    (":seed [N]", "seed the random generator, as seed(N); alone, the last seed"),
    (":dtype [f32|f64]", "the default dtype, as set_default_dtype; alone, the current one"),
    (":format [pretty|json|plain]", "how values are printed; alone, the current format"),
    (":precision [N]", "digits after the point, as printoptions(precision=N); alone, the current"),
    (
      ":nans [on|off]",
      "fail a statement whose result is NaN or inf, naming the operation that made it; alone, the state"
    ),
    (":quit", "leave (Ctrl-D also does)"),
  ]

  static func run(_ text: String, in repl: ReplEngine) -> ReplEngine.Outcome {
    let parts = text.split(separator: " ", maxSplits: 1)
    let name = String(parts[0])
    let argument = parts.count > 1 ? String(parts[1]).trimmingSpaces() : ""
    let session = repl.session
    switch name {
    case ":quit", ":q", ":exit":
      return .quit
    case ":help", ":h":
      repl.say(Help.text(for: argument, in: session))
    case ":vars":
      if session.bindingOrder.isEmpty { repl.say("no bindings") }
      for n in session.bindingOrder where !Session.isResultName(n) {
        if let v = session.bindings[n] { repl.say("\(n): \(v.summary)") }
      }
    case ":results":
      guard argument.isEmpty || Int(argument).map({ $0 >= 0 }) == true else {
        return usage(name, repl)
      }
      let shown = session.results.count - min(Int(argument) ?? Int.max, session.results.count)
      if session.results.isEmpty { repl.say("no results yet") }
      for (i, r) in session.results.enumerated() where i >= shown {
        repl.say("_\(i + 1) = \(r.source)  (\(r.value.summary))")
      }
    case ":graph":
      guard let expr = expression(argument, name, repl) else { break }
      do {
        repl.say(try graph(of: expr, in: session))
      } catch {
        session.report(error)
      }
    case ":emit":
      let words = argument.split(separator: " ", maxSplits: 1)
      guard words.first == "stablehlo", words.count == 2,
        let expr = expression(String(words[1]), name, repl)
      else { return usage(name, repl) }
      do {
        repl.say(try session.exportStableHLO(expr).text)
      } catch {
        session.report(error)
      }
    case ":explain":
      guard let expr = expression(argument, name, repl) else { break }
      let explains = session.options.explain
      session.options.explain = true  // compile prints the explanation
      defer { session.options.explain = explains }
      do {
        if try session.compile(expr).explanation.isEmpty {
          repl.say("no Jacobian to choose a mode for")
        }
      } catch {
        session.report(error)
      }
    case ":formula":
      guard let expr = expression(argument, name, repl) else { break }
      do {
        repl.say(try formula(of: expr, in: session))
      } catch {
        session.report(error)
      }
    case ":time":
      guard let expr = expression(argument, name, repl) else { break }
      time(expr, argument, repl)
    case ":load":
      guard !argument.isEmpty else { return usage(name, repl) }
      let path = unquoted(argument)
      guard let bytes = try? readBytes(path) else {
        session.report(Diagnostic(.fileError(path, "no such file or it cannot be read"), at: nil))
        break
      }
      session.run(
        SourceFile(name: path, text: String(decoding: bytes, as: UTF8.self)), keepGoing: false)
    case ":save":
      guard !argument.isEmpty else { return usage(name, repl) }
      let path = unquoted(argument)
      var script =
        "# nabla session, saved by :save; replay with: nabla --dtype \(session.replayDType.rawValue) -f \(path)\n"
      script += session.replayLog.joined(separator: "\n") + "\n"
      do {
        try writeBytes(Array(script.utf8), to: path)
        repl.say(
          "saved \(session.replayLog.count) statement\(session.replayLog.count == 1 ? "" : "s") to \(path)"
        )
      } catch {
        session.report(Diagnostic(.fileWriteError(path, error.reason), at: nil))
      }
    case ":reset":
      session.reset()
      repl.say("session reset")
    case ":seed":
      if argument.isEmpty {
        repl.say("seed \(session.lastSeed)")
      } else {
        guard let n = Int64(argument) else { return usage(name, repl) }
        run("seed(\(n))", in: session)
      }
    case ":dtype":
      if argument.isEmpty {
        repl.say(session.options.dtype.rawValue)
      } else {
        guard let d = DType(name: argument) else { return usage(name, repl) }
        run("set_default_dtype(\(d.longName))", in: session)
      }
    case ":precision":
      if argument.isEmpty {
        repl.say(String(session.options.printOptions.precision))
      } else {
        guard let n = Int(argument) else { return usage(name, repl) }
        run("printoptions(precision=\(n))", in: session)
      }
    case ":nans":
      switch argument {
      case "": repl.say(session.options.checkNaNs ? "on" : "off")
      case "on": session.options.checkNaNs = true
      case "off": session.options.checkNaNs = false
      default: return usage(name, repl)
      }
    case ":format":
      if argument.isEmpty {
        repl.say(session.options.format.rawValue)
      } else {
        guard let f = OutputFormat(rawValue: argument) else { return usage(name, repl) }
        session.options.format = f
      }
    default:
      let suggestion = Suggestions.nearest(to: name, in: names)
      repl.complain(
        "unknown command '\(name)'"
          + (suggestion.map { "; did you mean '\($0)'?" } ?? "; try :help"))
    }
    return .continue
  }

  /// Runs the statement a setting command stands for, so `:save` records it.
  private static func run(_ statement: String, in session: Session) {
    session.run(SourceFile(name: "<repl>", text: statement), keepGoing: false)
  }

  private static func usage(_ name: String, _ repl: ReplEngine) -> ReplEngine.Outcome {
    let line = summaries.first { $0.0.hasPrefix(name + " ") || $0.0 == name }?.0 ?? name
    repl.complain("usage: \(line)")
    return .continue
  }

  private static func unquoted(_ s: String) -> String {
    var t = s
    if t.count >= 2, let f = t.first, f == t.last, f == "\"" || f == "'" {
      t.removeFirst()
      t.removeLast()
    }
    return t
  }

  /// The argument parsed as one expression, or `nil` after reporting why not.
  private static func expression(_ text: String, _ name: String, _ repl: ReplEngine) -> Expr? {
    guard !text.isEmpty else {
      _ = usage(name, repl)
      return nil
    }
    let file = SourceFile(name: "<repl>", text: text)
    guard let statements = repl.session.parse(file) else { return nil }
    guard statements.count == 1, case .expression(let e) = statements[0].kind else {
      repl.complain("\(name) takes one expression")
      return nil
    }
    return e
  }

  /// What `:graph` prints for `expr`: the graph that computes its value, or for a function
  /// value `f` (or `f, a, b…`) the function's graph on symbolic arguments, scalars or shaped
  /// like `a, b…`, so no argument's value is folded into it.
  private static func graph(of expr: Expr, in session: Session) throws(Diagnostic) -> String {
    let compiled = try session.compile(expr)
    guard let (function, types) = try functionWithArguments(compiled, expr, session) else {
      return GraphPrinter.print(compiled.graph)
    }
    do {
      return GraphPrinter.print(try session.traceFunction(function, argumentTypes: types).optimised)
    } catch {
      throw error.located(at: expr.range)
    }
  }

  /// What `:formula` prints for `f` or `f, a, b…`: `formula(f, a, b…)`.
  private static func formula(of expr: Expr, in session: Session) throws(Diagnostic) -> String {
    let compiled = try session.compile(expr)
    guard let (function, types) = try functionWithArguments(compiled, expr, session) else {
      throw Diagnostic(
        .wrongType(
          ":formula", expected: "a function, or a function and its arguments", got: "a value"),
        at: expr.range)
    }
    guard let text = FormulaPrinter.formula(of: function, argumentTypes: types, in: session) else {
      throw Diagnostic(
        .invalidArgument("formula", "\(function.description) has no formula here"), at: expr.range)
    }
    return text
  }

  /// `f` and `nil` for a function value, `f` and the types of `a, b…` for `f, a, b…`; `nil`
  /// for any other value.
  private static func functionWithArguments(
    _ compiled: CompiledExpression, _ expr: Expr, _ session: Session
  ) throws(Diagnostic) -> (Function, [TensorType]?)? {
    switch compiled.template {
    case .function(let f): return (f, nil)
    case .tuple(let items):
      guard case .function(let f)? = items.first,
        case .tuple(let values) = try session.run(compiled)
      else { return nil }
      let types = try values.dropFirst().map { item throws(Diagnostic) in
        guard case .tensor(let t) = item else {
          throw Diagnostic(
            .wrongType("the arguments", expected: "tensors", got: item.summary), at: expr.range)
        }
        return t.type
      }
      return (f, types)
    default: return nil
    }
  }

  /// Compile once, then ``Session/measure(_:)``: median and interquartile range.
  private static func time(_ expr: Expr, _ text: String, _ repl: ReplEngine) {
    let session = repl.session
    do {
      let compiled = try session.compile(expr)
      let samples = try session.measure(compiled)
      func quantile(_ q: Double) -> Double {
        samples[min(samples.count - 1, Int(Double(samples.count - 1) * q))]
      }
      let (q1, median, q3) = (quantile(0.25), quantile(0.5), quantile(0.75))
      repl.say(
        """
        \(text)
          Median: \(Session.readable(median))
          IQR:    \(Session.readable(q3 - q1)) (\(Session.readable(q1)) to \(Session.readable(q3)))
          \(samples.count) measurements, compile \(Session.readable(Session.seconds(compiled.compileTime) * 1e6))
        """)
    } catch {
      session.report(error)
    }
  }
}
