extension Builtins {
  /// Built-ins that move, copy or pick elements: made of slices, concatenations, broadcasts
  /// and reshapes, so their derivatives are those moves transposed.
  static let rearrangements: [Builtin] = [
    Builtin(
      "roll", [.required("x"), .required("shifts"), .optional("dims")],
      aliases: ["shift": "shifts", "axis": "dims", "dim": "dims"],
      summary:
        "x with its elements shifted by shifts along dims, those pushed off the end coming back at the start (of the flattened x when dims is None)",
      example: "roll([1, 2, 3, 4], 1)"
    ) { t, a in
      let x = try a.tensor("x")
      let r = a.callRange
      let shifts = try a.ints("shifts")
      if a.isNone("dims") {
        guard shifts.count == 1 else {
          throw Diagnostic(
            .invalidArgument("roll", "without dims, shifts must be one integer"),
            at: a.range("shifts"))
        }
        let flat = try t.reshape(x, [x.type.count], r)
        return .traced(try t.reshape(try t.rolled(flat, shifts[0], axis: 0, r), x.type.shape, r))
      }
      let dims = try a.ints("dims")
      guard dims.count == shifts.count else {
        throw Diagnostic(
          .invalidArgument(
            "roll", "\(shifts.count) shifts for \(dims.count) dims: give one shift per axis"),
          at: a.range("shifts"))
      }
      var y = x
      for (shift, d) in zip(shifts, dims) {
        y = try t.rolled(y, shift, axis: try t.axis(d, rank: x.type.rank, a.range("dims")), r)
      }
      return .traced(y)
    },
    Builtin(
      "tile", [.required("x"), .required("reps")],
      summary:
        "x repeated reps[i] times along axis i (reps aligned with x's last axes; a longer reps adds leading axes)",
      example: "tile([1, 2], 3)"
    ) { t, a in
      let x = try a.tensor("x")
      let reps = try a.ints("reps")
      guard reps.allSatisfy({ $0 >= 0 }) else {
        throw Diagnostic(
          .invalidArgument("tile", "repetitions must be 0 or more, got \(reps)"),
          at: a.range("reps")
        )
      }
      let rank = max(x.type.rank, reps.count)
      let shape = Array(repeating: 1, count: rank - x.type.rank) + x.type.shape
      let counts = Array(repeating: 1, count: rank - reps.count) + reps
      // x as [1, d₀, 1, d₁, …] broadcast to [r₀, d₀, r₁, d₁, …], then merged pairwise
      let r = a.callRange
      let spread = try t.reshape(x, shape.flatMap { [1, $0] }, r)
      var tiled: [Int] = []
      var merged: [Int] = []
      for (d, n) in zip(shape, counts) {
        tiled += [n, d]
        let (size, overflow) = d.multipliedReportingOverflow(by: n)
        guard !overflow else { throw Diagnostic(.sizeOverflow("tile"), at: r) }
        merged.append(size)
      }
      try t.checkShape(merged, r)
      return .traced(try t.reshape(try t.broadcast(spread, to: tiled, r), merged, r))
    },
    Builtin(
      "repeat", [.required("x"), .required("repeats"), .optional("dim")],
      aliases: ["axis": "dim"],
      summary:
        "each element of x repeated repeats times (or repeats[i] times for element i) along dim (of the flattened x when dim is None), as NumPy's repeat and PyTorch's repeat_interleave",
      example: "repeat([1, 2], 2)"
    ) { t, a in
      var x = try a.tensor("x")
      let r = a.callRange
      if a.isNone("dim") { x = try t.reshape(x, [x.type.count], r) }
      guard x.type.rank > 0 else {
        throw Diagnostic(.invalidArgument("repeat", "x must have an axis to repeat along"), at: r)
      }
      let axis =
        a.isNone("dim") ? 0 : try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      let counts = try a.ints("repeats")
      let n = x.type.shape[axis]
      guard counts.allSatisfy({ $0 >= 0 }), counts.count == 1 || counts.count == n else {
        throw Diagnostic(
          .invalidArgument(
            "repeat", "repeats must be one count or one per element (\(n)), each 0 or more"),
          at: a.range("repeats"))
      }
      return .traced(
        try t.repeated(
          x, counts.count == 1 ? Array(repeating: counts[0], count: n) : counts, axis: axis, r))
    },
    Builtin(
      "diagonal",
      [
        .required("x"), .optional("offset", .int(0)), .optional("dim1", .int(0)),
        .optional("dim2", .int(1)),
      ],
      aliases: ["axis1": "dim1", "axis2": "dim2"],
      summary:
        "the elements x[…, i, …, i + offset, …] of axes dim1 and dim2, as a last axis (PyTorch's and NumPy's diagonal)",
      example: "diagonal([[1, 2], [3, 4]])"
    ) { t, a in
      let x = try a.tensor("x")
      let rank = x.type.rank
      let r = a.callRange
      guard rank >= 2 else {
        throw Diagnostic(
          .invalidArgument("diagonal", "x must have at least 2 axes, has \(rank)"), at: a.range("x")
        )
      }
      let d1 = try t.axis(try a.int("dim1"), rank: rank, a.range("dim1"))
      let d2 = try t.axis(try a.int("dim2"), rank: rank, a.range("dim2"))
      guard d1 != d2 else {
        throw Diagnostic(
          .invalidArgument("diagonal", "dim1 and dim2 must differ"), at: a.range("dim2"))
      }
      return .traced(try t.diagonal(x, offset: try a.int("offset"), d1, d2, r))
    },
    Builtin(
      "nan_to_num",
      [.required("x"), .optional("nan", .int(0)), .optional("posinf"), .optional("neginf")],
      summary:
        "x with NaN replaced by nan, ∞ by posinf and −∞ by neginf (by default the largest and smallest finite numbers of x's dtype); its derivative is 1 where x is finite, else 0",
      example: "nan_to_num([1, nan, inf])"
    ) { t, a in
      let x = try a.tensor("x")
      guard x.kind == .float else { return .traced(x) }  // integers are finite
      let r = a.callRange
      let dtype = x.type.dtype
      let largest = dtype == .f32 ? Double(Float.greatestFiniteMagnitude) : .greatestFiniteMagnitude
      func fill(_ name: String, _ otherwise: Double) throws(Diagnostic) -> Traced {
        try t.scalar(
          a.isNone(name) ? otherwise : try a.double(name), dtype, weak: true, kind: .float)
      }
      let inf = try t.scalar(.infinity, dtype, weak: true)
      var y = try t.select(
        try t.elementwise(.compare(.ne), x, x, r, r, r), try fill("nan", 0), x, r)
      y = try t.select(
        try t.elementwise(.compare(.eq), x, inf, r, r, r), try fill("posinf", largest), y, r)
      let negInf = try t.unary(.neg, inf, r)
      y = try t.select(
        try t.elementwise(.compare(.eq), x, negInf, r, r, r), try fill("neginf", -largest), y, r)
      return .traced(y)
    },
  ]
}

extension Tracer {
  /// `x` rolled by `shift` along `axis`: the last `shift` elements (mod the axis's size) moved
  /// to the front, as one concatenation of two slices.
  func rolled(_ x: Traced, _ shift: Int, axis: Int, _ r: SourceRange) throws(Diagnostic) -> Traced {
    let n = x.type.shape[axis]
    guard n > 0 else { return x }
    let s = ((shift % n) + n) % n
    guard s != 0 else { return x }
    return try concatenate(
      [try slice(x, axis: axis, n - s..<n, r), try slice(x, axis: axis, 0..<(n - s), r)],
      axis: axis, r)
  }

  /// Elements `range` of `axis` of `x`, the other axes whole.
  func slice(_ x: Traced, axis: Int, _ range: Range<Int>, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    var start = Array(repeating: 0, count: x.type.rank)
    var limit = x.type.shape
    start[axis] = range.lowerBound
    limit[axis] = range.upperBound
    return try emit(
      .slice(start: start, limit: limit, stride: Array(repeating: 1, count: start.count)), [x], r)
  }

  /// Element `i` of `axis` repeated `counts[i]` times: a broadcast when every count is the
  /// same, else a gather of the repeated positions.
  func repeated(_ x: Traced, _ counts: [Int], axis: Int, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    var shape = x.type.shape
    let total = counts.reduce(0) { sum, c in
      let s = sum.addingReportingOverflow(c)
      return s.overflow ? .max : s.partialValue
    }
    guard total < Int.max else { throw Diagnostic(.sizeOverflow("repeat"), at: r) }
    shape[axis] = total
    try checkShape(shape, r)
    guard x.type.count > 0 else {
      return try broadcast(try scalar(0, x.type.dtype, kind: x.kind), to: shape, r)
    }
    if let k = counts.first, counts.allSatisfy({ $0 == k }) {
      var spread = x.type.shape
      spread.insert(1, at: axis + 1)
      var broadcastShape = spread
      broadcastShape[axis + 1] = k
      return try reshape(try broadcast(try reshape(x, spread, r), to: broadcastShape, r), shape, r)
    }
    // positions along the axis, then flat positions over the whole operand
    let along = counts.enumerated().flatMap { i, c in Array(repeating: i, count: c) }
    let inner = x.type.shape[(axis + 1)...].reduce(1, *)
    let outer = x.type.shape[..<axis].reduce(1, *)
    let n = x.type.shape[axis]
    var table: [Int] = []
    table.reserveCapacity(outer * total * inner)
    for o in 0..<outer {
      for p in along {
        for i in 0..<inner { table.append((o * n + p) * inner + i) }
      }
    }
    return try emit(.gather(ElementTable(table), shape: shape), [x], r)
  }

  /// The diagonal `x[…, i, …, i + offset, …]` of axes `d1` and `d2`, moved to the last axis:
  /// those two axes moved last and merged, then every (m + 1)-th element from the first.
  func diagonal(_ x: Traced, offset: Int, _ d1: Int, _ d2: Int, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    let rank = x.type.rank
    let rest = (0..<rank).filter { $0 != d1 && $0 != d2 }
    let moved = try transposed(x, rest + [d1, d2], r)
    let (n, m) = (x.type.shape[d1], x.type.shape[d2])
    let lead = rest.map { x.type.shape[$0] }
    // offsets past either end leave nothing (and keep the arithmetic below in range)
    let count =
      offset >= m || offset <= -n ? 0 : offset >= 0 ? min(n, m - offset) : min(n + offset, m)
    guard count > 0, x.type.count > 0 else {
      return try broadcast(try scalar(0, x.type.dtype, kind: x.kind), to: lead + [count], r)
    }
    let flat = try reshape(moved, lead + [n * m], r)
    let first = offset >= 0 ? offset : -offset * m
    var start = Array(repeating: 0, count: lead.count + 1)
    var limit = lead + [0]
    var stride = Array(repeating: 1, count: lead.count + 1)
    start[lead.count] = first
    limit[lead.count] = first + (count - 1) * (m + 1) + 1
    stride[lead.count] = m + 1
    return try emit(.slice(start: start, limit: limit, stride: stride), [flat], r)
  }
}
