extension Builtins {
  /// Reversals, running sums, matrix powers and tensor contractions, made of primitives.
  static let arrays: [Builtin] = [
    Builtin(
      "flip", [.required("x"), .variadic("dims")],
      summary: "x with the order of its elements along dims reversed (all axes when none given)",
      example: "flip([1, 2, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      let given = try a.ints("dims")
      let axes =
        given.isEmpty
        ? Array(0..<x.type.rank) : try t.axesInOrder(given, rank: x.type.rank, a.range("dims"))
      return .traced(try t.emit(.reverse(axes: axes.sorted()), [x], a.callRange))
    },
    running(
      "cumsum", .add, identity: 0,
      summary: "running sums along dim: element i is the sum of elements 0…i",
      example: "cumsum([1, 2, 3])"),
    running(
      "cumprod", .mul, identity: 1,
      summary:
        "running products along dim: element i is the product of elements 0…i (exact, and so is its derivative, where an element is 0)",
      example: "cumprod([1, 2, 3])"),
    Builtin(
      "matrix_power", [.required("A"), .required("n")],
      summary: "Aⁿ for an integer n by repeated squaring (n = 0: the identity; n < 0: of inv(A))",
      example: "matrix_power([[1, 1], [0, 1]], 3)"
    ) { t, a in
      var base = try a.tensor("A")
      try t.square(base, "matrix_power", a.range("A"))
      let power = try a.int("n")
      let r = a.callRange
      if power < 0 { base = try t.unary(.inverse, base, r) }
      var n = power.magnitude  // |Int.min| too
      let size = base.type.shape[base.type.rank - 1]
      var result: Traced?
      while n > 0 {
        if n & 1 == 1 {
          result =
            try result.map { p throws(Diagnostic) in try t.matmul(p, base, r, nil, nil) }
            ?? base
        }
        n >>= 1
        if n > 0 { base = try t.matmul(base, base, r, nil, nil) }
      }
      if let result { return .traced(result) }
      let eye = (0..<(size * size)).map { Double($0 / size == $0 % size ? 1 : 0) }
      let identity = try t.constant(
        Tensor(shape: [size, size], values: eye, type: ElementType(base.kind, base.type.dtype)))
      return .traced(try t.broadcast(identity, to: base.type.shape, r))
    },
    Builtin(
      "tensordot", [.required("a"), .required("b"), .optional("dims", .int(2))],
      summary:
        "sums products over the last dims axes of a and the first dims of b "
        + "(or the axis lists dims = (axes of a, axes of b))",
      example: "tensordot(ones(2, 3), ones(3, 4), 1)"
    ) { t, a in
      let x = try a.tensor("a")
      let y = try a.tensor("b")
      let (lhs, rhs): ([Int], [Int])
      if case .tuple(let lists) = a.value("dims"), lists.count == 2 {
        let context = "'tensordot' argument 'dims'"
        func axes(_ v: Value, _ rank: Int) throws(Diagnostic) -> [Int] {
          let items: [Value] = if case .tuple(let xs) = v { xs } else { [v] }
          var out: [Int] = []
          for item in items {
            let n = try t.staticInt(item, a.range("dims"), context: context)
            out.append(try t.axis(n, rank: rank, a.range("dims")))
          }
          return out
        }
        (lhs, rhs) = (try axes(lists[0], x.type.rank), try axes(lists[1], y.type.rank))
      } else {
        let k = try a.int("dims")
        guard k >= 0, k <= x.type.rank, k <= y.type.rank else {
          throw Diagnostic(
            .invalidArgument("tensordot", "dims=\(k) is more axes than \(x.type) or \(y.type) has"),
            at: a.range("dims"))
        }
        (lhs, rhs) = (Array((x.type.rank - k)..<x.type.rank), Array(0..<k))
      }
      guard lhs.count == rhs.count, Set(lhs).count == lhs.count, Set(rhs).count == rhs.count,
        zip(lhs, rhs).allSatisfy({ x.type.shape[$0] == y.type.shape[$1] })
      else {
        throw Diagnostic(
          .shapeMismatch(
            "'tensordot' cannot pair axes \(lhs) of \(x.type) with \(rhs) of \(y.type)"),
          at: a.callRange)
      }
      let xy = try t.unifyDTypes([x, y], a.callRange)
      return .traced(
        try t.emit(
          .dotGeneral(.init(lhsBatch: [], rhsBatch: [], lhsContract: lhs, rhsContract: rhs)), xy,
          a.callRange))
    },
  ]
}

extension Builtins {
  /// `cumsum`, `cumprod`: `op` accumulated along `dim`.
  private static func running(
    _ name: String, _ op: Primitive, identity: Double, summary: String, example: String
  ) -> Builtin {
    Builtin(
      name, [.required("x"), .optional("dim", .int(0))], aliases: ["axis": "dim"],
      summary: summary, example: example
    ) { t, a in
      let x = try a.tensor("x")
      guard x.type.rank > 0 else { return .traced(x) }
      let axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      return .traced(try t.runningScan(x, axis: axis, op, identity: identity, a.callRange))
    }
  }
}

extension Tracer {
  /// `x[i] = x[i − k] op x[i]` for k = 1, 2, 4, … along `axis`, with `identity` (the 0 of `+`,
  /// the 1 of `·`) before the start: log₂ n rounds, linear in memory, exact (no division, so
  /// its derivative is too), and an inf or NaN reaches only the elements after it.
  func runningScan(_ x: Traced, axis: Int, _ op: Primitive, identity: Double, _ r: SourceRange)
    throws(Diagnostic) -> Traced
  {
    let shape = x.type.shape
    let n = shape[axis]
    let zeros = Array(repeating: 0, count: shape.count)
    // running sums and products of truth values count (int64, as PyTorch's)
    var result = x.kind == .boolean ? try cast(x, to: .int64, r) : x
    var shift = 1
    while shift < n {
      var low = zeros
      low[axis] = shift
      let head = try slice(result, axis: axis, 0..<(n - shift), r)
      var shifted = try emit(.pad(low: low, high: zeros, interior: zeros), [head], r)
      if identity != 0 {
        var high = zeros
        high[axis] = n - shift
        var fillShape = shape
        fillShape[axis] = shift
        let fill = try broadcast(
          try scalar(identity, result.type.dtype, kind: result.kind), to: fillShape, r)
        let padded = try emit(.pad(low: zeros, high: high, interior: zeros), [fill], r)
        shifted = try emit(.add, [shifted, padded], r)
      }
      result = try emit(op, [result, shifted], r)
      shift *= 2
    }
    return result
  }
}
