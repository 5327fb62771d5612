extension Builtins {
  static let constructors: [Builtin] = [
    Builtin(
      "zeros", [.variadic("shape"), .optional("dtype")], summary: "a tensor of zeros",
      example: "zeros(2, 3)"
    ) { t, a in
      .traced(try t.filled(0, try a.shape("shape"), try a.elementType("dtype"), a.callRange))
    },
    Builtin(
      "ones", [.variadic("shape"), .optional("dtype")], summary: "a tensor of ones",
      example: "ones(3)"
    ) { t, a in
      .traced(try t.filled(1, try a.shape("shape"), try a.elementType("dtype"), a.callRange))
    },
    Builtin(
      "full", [.required("shape"), .required("value"), .optional("dtype")],
      summary: "a tensor of the given shape filled with a value", example: "full((2, 2), 7)"
    ) { t, a in
      let shape = try a.shape("shape")
      var v = try a.tensor("value")
      if !a.isNone("dtype") { v = try t.cast(v, to: try a.elementType("dtype"), a.callRange) }
      guard Shape.broadcast(v.type.shape, shape) == shape else {
        throw Diagnostic(
          .shapeMismatch("cannot fill shape \(shape) with \(v.type)"), at: a.range("value"))
      }
      var r = try t.broadcast(v, to: shape, a.callRange)
      r.isWeak = false
      return .traced(r)
    },
    Builtin(
      "tensor", [.required("data"), .optional("dtype")],
      summary:
        "data as a tensor of dtype; by default inferred as torch.tensor does: int64 for whole numbers written without a point ([1, 2]), bool for True/False, else the default float",
      example: "tensor([[1, 2], [3, 4]])"
    ) { t, a in
      let data = try a.tensor("data")
      let kind = data.literal?.kind ?? data.kind
      let inferred = ElementType(kind, kind == .float ? t.defaultDType : .f64)
      // a list literal's exact numbers, not its default-dtype copy
      let x = try data.literal.map { literal throws(Diagnostic) in try t.constant(literal) } ?? data
      return .traced(
        try t.cast(x, to: a.isNone("dtype") ? inferred : try a.elementType("dtype"), a.callRange))
    },
    Builtin(
      "eye", [.required("n"), .optional("m"), .optional("dtype")],
      summary: "the n×m identity matrix", example: "eye(3)"
    ) { t, a in
      let n = try a.int("n")
      let m = try a.optionalInt("m") ?? n
      try t.checkShape([n, m], a.callRange)
      var values = [Double](repeating: 0, count: n * m)
      for i in 0..<min(n, m) { values[i * m + i] = 1 }
      return .traced(
        try t.constant(Tensor(shape: [n, m], values: values, type: try a.elementType("dtype"))))
    },
    Builtin(
      "arange",
      [.required("start"), .optional("end"), .optional("step", .int(1)), .optional("dtype")],
      summary: "evenly spaced values in [start, end): arange(n) is 0, 1, …, n−1",
      example: "arange(0, 1, 0.25)"
    ) { t, a in
      var start = try a.double("start")
      var end = 0.0
      if a.isNone("end") { (start, end) = (0, start) } else { end = try a.double("end") }
      let step = try a.double("step")
      guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
        throw Diagnostic(
          .invalidArgument("arange", "needs finite bounds and a non-zero step"), at: a.callRange)
      }
      let count = max(0, ((end - start) / step).rounded(.up))
      guard count < 1e15 else {
        throw Diagnostic(.sizeOverflow("(\(count))"), at: a.callRange)
      }
      try t.checkShape([Int(count)], a.callRange)
      // integers for integer arguments, as torch.arange(5) is int64
      let integral = ["start", "end", "step"].allSatisfy { a.isNone($0) || a.value($0).isInteger }
      let type = a.isNone("dtype") && integral ? .int64 : try a.elementType("dtype")
      guard type.kind != .boolean else {
        throw Diagnostic(
          .invalidArgument("arange", "cannot make bool values", help: "arange(n) > 0 is a mask"),
          at: a.range("dtype"))
      }
      // int64 values count from start and step made integers (toward zero), as PyTorch's do
      let (first, increment) =
        type.kind == .integer
        ? (start.rounded(.towardZero), step.rounded(.towardZero)) : (start, step)
      let values = (0..<Int(count)).map { first + Double($0) * increment }
      return .traced(try t.constant(Tensor(shape: [values.count], values: values, type: type)))
    },
    Builtin(
      "linspace", [.required("start"), .required("end"), .required("steps"), .optional("dtype")],
      summary: "steps evenly spaced values from start to end, inclusive",
      example: "linspace(0, 1, 5)"
    ) { t, a in
      let start = try a.double("start")
      let end = try a.double("end")
      let n = try a.int("steps")
      guard n >= 0 else {
        throw Diagnostic(
          .invalidArgument("linspace", "steps must be non-negative"), at: a.range("steps"))
      }
      try t.checkShape([n], a.range("steps"))
      let step = n > 1 ? (end - start) / Double(n - 1) : 0
      // As PyTorch: the first half counts up from start, the second half down from end (one
      // step is just start, as in NumPy, JAX and PyTorch).
      let values = (0..<n).map { i in
        n == 1 || i < n / 2 ? start + Double(i) * step : end - Double(n - 1 - i) * step
      }
      return .traced(
        try t.constant(Tensor(shape: [n], values: values, dtype: try a.dtype("dtype"))))
    },
    Builtin(
      "randn", [.variadic("shape"), .optional("dtype")],
      summary:
        "standard normal samples; after seed(n), the numbers torch.randn gives after torch.manual_seed(n)",
      example: "seed(0); randn(2, 3)"
    ) { t, a in
      let shape = try a.shape("shape")
      let dtype = try a.dtype("dtype")
      return .traced(
        try t.random(shape, a.callRange) { t.session.generator.normal(count: $0, dtype: dtype) })
    },
    Builtin(
      "rand", [.variadic("shape"), .optional("dtype")],
      summary: "uniform samples on [0, 1), as torch.rand", example: "seed(0); rand(5)"
    ) { t, a in
      let shape = try a.shape("shape")
      let dtype = try a.dtype("dtype")
      return .traced(
        try t.random(shape, a.callRange) { t.session.generator.uniform(count: $0, dtype: dtype) })
    },
    Builtin(
      "set_default_dtype", [.required("dtype")],
      summary:
        "the dtype of literals and constructors from the next statement on, as torch.set_default_dtype (the --dtype option, the REPL's :dtype)",
      example: "set_default_dtype(float64); sqrt(2)"
    ) { t, a in
      t.hasSideEffects = true
      t.session.options.dtype = try a.dtype("dtype")
      return .none
    },
    Builtin(
      "printoptions",
      [
        .optional("precision"), .optional("threshold"), .optional("edgeitems"),
        .optional("linewidth"), .optional("profile"), .optional("sci_mode"),
      ],
      summary:
        "how tensors print from the next statement on, as torch.set_printoptions: digits, summarising threshold, edge items, line width, profile (\"default\", \"short\", \"full\"), sci_mode (True, False, None: chosen)",
      example: "printoptions(precision=8); sqrt(2)"
    ) { t, a in
      t.hasSideEffects = true
      var options = t.session.options.printOptions
      if !a.isNone("profile") {
        let profile = try a.string("profile")
        options = PrintOptions()
        switch profile {
        case "default": break
        case "short": (options.precision, options.edgeItems) = (2, 2)
        case "full": options.threshold = Int.max
        default:
          throw Diagnostic(
            .invalidArgument(
              "printoptions", "there is no profile '\(profile)'",
              help: "use \"default\", \"short\" or \"full\""),
            at: a.range("profile"))
        }
      }
      func count(_ name: String, _ limits: ClosedRange<Int>) throws(Diagnostic) -> Int? {
        guard let n = try a.optionalInt(name) else { return nil }
        guard limits.contains(n) else {
          throw Diagnostic(
            .invalidArgument(
              "printoptions",
              "\(name) must be from \(limits.lowerBound) to \(limits.upperBound), not \(n)"),
            at: a.range(name))
        }
        return n
      }
      if let n = try count("precision", 0...30) { options.precision = n }
      if let n = try count("threshold", 0...Int.max) { options.threshold = n }
      if let n = try count("edgeitems", 0...1000) { options.edgeItems = n }
      if let n = try count("linewidth", 1...10_000) { options.lineWidth = n }
      // as in PyTorch, sci_mode is always assigned: None lets the values choose again
      options.sciMode = a.isNone("sci_mode") ? nil : try a.bool("sci_mode")
      t.session.options.printOptions = options
      return .none
    },
    Builtin(
      "seed", [.required("n")], summary: "seeds the random generator, as torch.manual_seed",
      example: "seed(0)"
    ) { t, a in
      t.hasSideEffects = true
      t.session.seed(Int64(try a.int("n")))
      return .none
    },
    Builtin(
      "load", [.required("path"), .optional("skiprows", .int(0)), .optional("delimiter")],
      summary:
        "reads a tensor from .npy, .json, or text/.csv (\"-\" is standard input); for text, skiprows skips a header and delimiter separates fields, as numpy.loadtxt",
      example: "save(\"/tmp/v.npy\", [1, 2]); load(\"/tmp/v.npy\")"
    ) { t, a in
      t.hasSideEffects = true
      try t.checkFileAccess(a.callRange)
      let skipRows = try a.int("skiprows")
      guard skipRows >= 0 else {
        throw Diagnostic(
          .invalidArgument("load", "skiprows must be 0 or more, not \(skipRows)"),
          at: a.range("skiprows"))
      }
      let v = try FileIO.load(
        try a.string("path"), defaultDType: t.defaultDType,
        memoryLimit: t.session.options.memoryLimit,
        range: a.range("path"), skipRows: skipRows,
        delimiter: a.isNone("delimiter") ? nil : try a.string("delimiter"))
      return try t.lifted(v)
    },
    Builtin(
      "save", [.required("path"), .required("value")],
      summary:
        "writes a value to .npy (a tuple to .npz), .json, .svg (a plot, heatmap or spy) or text, by the extension",
      example: "save(\"/tmp/x.npy\", ones(3))"
    ) { t, a in
      t.hasSideEffects = true
      try t.checkFileAccess(a.callRange)
      guard t.parent == nil else {
        throw Diagnostic(.notCallableHere("'save' inside a transformed function"), at: a.callRange)
      }
      t.pendingSaves.append(
        PendingSave(path: try a.string("path"), value: a.value("value"), range: a.callRange))
      return .none
    },
  ]
}

extension Tracer {
  /// A constant tensor of one value.
  func filled(_ value: Double, _ shape: [Int], _ type: ElementType, _ range: SourceRange)
    throws(Diagnostic) -> Traced
  {
    try checkShape(shape, range)
    let s = try scalar(value, type.storage, kind: type.kind)
    var r = try broadcast(s, to: shape, range)
    r.isWeak = false
    return r
  }

  func checkFileAccess(_ range: SourceRange) throws(Diagnostic) {
    guard session.options.allowsFiles else { throw Diagnostic(.filesDisabled(), at: range) }
  }

  /// A loaded value with its tensors as graph inputs.
  func lifted(_ v: Value) throws(Diagnostic) -> Value {
    switch v {
    case .tensor(let t): return .traced(try liftInput(t))
    case .tuple(let items):
      var out: [Value] = []
      for item in items { out.append(try lifted(item)) }
      return .tuple(out)
    default: return v
    }
  }
}
