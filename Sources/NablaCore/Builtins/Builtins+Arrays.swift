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
    Builtin(
      "cumsum", [.required("x"), .optional("dim", .int(0))], aliases: ["axis": "dim"],
      summary: "running sums along dim: element i is the sum of elements 0…i",
      example: "cumsum([1, 2, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      guard x.type.rank > 0 else { return .traced(x) }
      let axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      // a scan in log₂ n rounds, s[i] += s[i − k] for k = 1, 2, 4, …: linear in memory, and
      // an inf or NaN reaches only the sums after it
      let shape = x.type.shape
      let n = shape[axis]
      let zeros = Array(repeating: 0, count: shape.count)
      var sums = x
      var shift = 1
      while shift < n {
        var limit = shape
        limit[axis] = n - shift
        var low = zeros
        low[axis] = shift
        let head = try t.emit(
          .slice(start: zeros, limit: limit, stride: Array(repeating: 1, count: shape.count)),
          [sums], a.callRange)
        let shifted = try t.emit(
          .pad(low: low, high: zeros, interior: zeros), [head], a.callRange)
        sums = try t.emit(.add, [sums, shifted], a.callRange)
        shift *= 2
      }
      return .traced(sums)
    },
    Builtin(
      "cumprod", [.required("x"), .optional("dim", .int(0))], aliases: ["axis": "dim"],
      summary: "running products along dim: element i is the product of elements 0…i",
      example: "cumprod([1, 2, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      guard x.type.rank > 0 else { return .traced(x) }
      let axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      // p[i] *= p[i − k] for k = 1, 2, 4, …, with ones before the start: exact where an
      // element is 0 (no division), so its derivative is too
      let r = a.callRange
      let shape = x.type.shape
      let n = shape[axis]
      let zeros = Array(repeating: 0, count: shape.count)
      var products = x
      var shift = 1
      while shift < n {
        var low = zeros
        low[axis] = shift
        var high = zeros
        high[axis] = n - shift
        var onesShape = shape
        onesShape[axis] = shift
        let ones = try t.broadcast(try t.scalar(1, x.type.dtype), to: onesShape, r)
        let head = try t.slice(products, axis: axis, 0..<(n - shift), r)
        let shifted = try t.elementwise(
          .add, try t.emit(.pad(low: low, high: zeros, interior: zeros), [head], r),
          try t.emit(.pad(low: zeros, high: high, interior: zeros), [ones], r), r, r, r)
        products = try t.elementwise(.mul, products, shifted, r, r, r)
        shift *= 2
      }
      return .traced(products)
    },
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
        Tensor(shape: [size, size], values: eye, dtype: base.type.dtype))
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
