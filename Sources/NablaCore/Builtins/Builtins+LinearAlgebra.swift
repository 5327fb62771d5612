extension Builtins {
  static let linearAlgebra: [Builtin] =
    [
      binaryBuiltin(
        "matmul", "a", "b", summary: "the matrix product (NumPy matmul rules)",
        example: "matmul(eye(2), [1, 2])"
      ) {
        t, x, y, r, ra, rb in try t.matmul(x, y, r, ra, rb)
      },
      binaryBuiltin(
        "dot", "a", "b", summary: "the dot product of two vectors", example: "dot([1, 2], [3, 4])"
      ) {
        t, x, y, r, ra, rb in
        guard x.type.rank == 1, y.type.rank == 1 else {
          throw Diagnostic(
            .shapeMismatch("'dot' takes two vectors, got \(x.type) and \(y.type)"), at: r
          )
          .labeled(ra).labeled(rb)
        }
        return try t.matmul(x, y, r, ra, rb)
      },
      binaryBuiltin(
        "outer", "a", "b", summary: "the outer product a bᵀ of two vectors",
        example: "outer([1, 2], [3, 4])"
      ) {
        t, x, y, r, ra, rb in
        guard x.type.rank == 1, y.type.rank == 1 else {
          throw Diagnostic(
            .shapeMismatch("'outer' takes two vectors, got \(x.type) and \(y.type)"), at: r)
        }
        let col = try t.reshape(x, [x.type.shape[0], 1], r)
        let row = try t.reshape(y, [1, y.type.shape[0]], r)
        return try t.elementwise(.mul, col, row, r, ra, rb)
      },
      Builtin(
        "transpose", [.required("x"), .optional("dim0"), .optional("dim1")],
        summary: "reverses the axes; transpose(a, i, j) swaps two; transpose(a, (…)) permutes",
        example: "transpose([[1, 2], [3, 4]])"
      ) { t, a in
        let x = try a.tensor("x")
        let rank = x.type.rank
        if a.isNone("dim0") { return .traced(try t.transposed(x, nil, a.callRange)) }
        if a.isNone("dim1") {
          let dims = try a.ints("dim0")
          var perm: [Int] = []
          for d in dims { perm.append(try t.axis(d, rank: rank, a.range("dim0"))) }
          guard perm.sorted() == Array(0..<rank) else {
            throw Diagnostic(
              .invalidArgument("transpose", "\(dims) is not a permutation of \(rank) axes"),
              at: a.range("dim0"))
          }
          return .traced(try t.transposed(x, perm, a.callRange))
        }
        let i = try t.axis(try a.int("dim0"), rank: rank, a.range("dim0"))
        let j = try t.axis(try a.int("dim1"), rank: rank, a.range("dim1"))
        var perm = Array(0..<rank)
        perm.swapAt(i, j)
        return .traced(try t.transposed(x, perm, a.callRange))
      },
      unaryBuiltin(
        "trace", summary: "the sum of the diagonal of a matrix", example: "trace(eye(3))"
      ) { t, x, r in
        try t.reduce({ .reduceSum(axes: $0) }, try t.mainDiagonal(x, r), [0], keepdim: false, r)
      },
      unaryBuiltin(
        "diag", summary: "a diagonal matrix from a vector, or the diagonal of a matrix",
        example: "diag([1, 2])"
      ) { t, x, r in
        if x.type.rank == 1 {
          let n = x.type.shape[0]
          var values = [Double](repeating: 0, count: n * n)
          for i in 0..<n { values[i * n + i] = 1 }
          let identity = try t.constant(
            Tensor(shape: [n, n], values: values, type: ElementType(x.kind, x.type.dtype)))
          return try t.elementwise(.mul, identity, try t.reshape(x, [n, 1], r), r, r, r)
        }
        return try t.mainDiagonal(x, r)
      },
      unaryBuiltin(
        "inv", summary: "the inverse of a square matrix (batched)", example: "inv([[2, 0], [0, 4]])"
      ) { t, x, r in
        try t.square(x, "inv", r)
        return try t.unary(.inverse, x, r)
      },
      unaryBuiltin(
        "det", summary: "the determinant of a square matrix (batched)",
        example: "det([[1, 2], [3, 4]])"
      ) {
        t, x, r in
        try t.square(x, "det", r)
        return try t.unary(.determinant, x, r)
      },
      binaryBuiltin(
        "solve", "A", "b",
        summary:
          "x with A x = b, for a vector b (one axis) or matrices b; the leading axes of A and b broadcast (NumPy 2's and JAX's rule)",
        example: "solve([[2, 0], [0, 4]], [2, 4])"
      ) {
        t, a, b, r, ra, rb in
        try t.square(a, "solve", ra)
        return try t.solve(a, b, r, ra, rb)
      },
      binaryBuiltin(
        "kron", "a", "b", summary: "the Kronecker product of two vectors or matrices",
        example: "kron(eye(2), [[1, 2], [3, 4]])"
      ) {
        t, x, y, r, ra, rb in
        guard x.type.rank == y.type.rank, x.type.rank == 1 || x.type.rank == 2 else {
          throw Diagnostic(
            .shapeMismatch("'kron' takes two vectors or two matrices, got \(x.type) and \(y.type)"),
            at: r)
        }
        func product(_ a: Int, _ b: Int) throws(Diagnostic) -> Int {
          let (v, overflow) = a.multipliedReportingOverflow(by: b)
          guard !overflow else {
            throw Diagnostic(.sizeOverflow("kron(\(x.type), \(y.type))"), at: r)
          }
          return v
        }
        if x.type.rank == 1 {
          let (m, p) = (x.type.shape[0], y.type.shape[0])
          let prod = try t.elementwise(
            .mul, try t.reshape(x, [m, 1], r), try t.reshape(y, [1, p], r), r, ra, rb)
          return try t.reshape(prod, [try product(m, p)], r)
        }
        let (m, n) = (x.type.shape[0], x.type.shape[1])
        let (p, q) = (y.type.shape[0], y.type.shape[1])
        let prod = try t.elementwise(
          .mul, try t.reshape(x, [m, 1, n, 1], r), try t.reshape(y, [1, p, 1, q], r), r,
          ra, rb)
        return try t.reshape(prod, [try product(m, p), try product(n, q)], r)
      },
      Builtin(
        "linear", [.required("x"), .required("W"), .optional("b")],
        summary: "x Wᵀ + b, as PyTorch's F.linear", example: "linear(ones(3), eye(3), zeros(3))"
      ) { t, a in
        let r = a.callRange
        let xw = try t.unifyDTypes([try a.tensor("x"), try a.tensor("W")], r)
        let (x, w) = (xw[0], xw[1])
        // x Wᵀ: the last axis of x against the last of W
        guard x.type.rank >= 1, (1...2).contains(w.type.rank),
          x.type.shape.last == w.type.shape.last
        else {
          throw Diagnostic(
            .shapeMismatch(
              "'linear' needs x of shape […, k] and W of shape [m, k] or [k], got \(x.type) and \(w.type)"
            ),
            at: r
          ).labeled(a.range("x")).labeled(a.range("W"))
        }
        let dims = DotDimensions(
          lhsBatch: [], rhsBatch: [], lhsContract: [x.type.rank - 1], rhsContract: [w.type.rank - 1]
        )
        var y = try t.emit(.dotGeneral(dims), [x, w], r)
        if !a.isNone("b") {
          y = try t.elementwise(.add, y, try a.tensor("b"), r, r, a.range("b"))
        }
        return .traced(y)
      },
    ] + decompositions
}

extension Tracer {
  /// `x` with `A x = b` for a batch of square matrices `A` and `b` a batch of vectors or of
  /// matrices.
  func solve(_ a: Traced, _ b: Traced, _ r: SourceRange, _ ra: SourceRange, _ rb: SourceRange)
    throws(Diagnostic) -> Traced
  {
    let ab = try unifyDTypes([a, b], r)
    let n = a.type.shape[a.type.rank - 1]
    // b is a vector when it has one axis, else a (batch of) matrices; the leading (batch) axes
    // of A and b broadcast, as NumPy 2's and JAX's
    let isVector = b.type.rank == 1
    let rhs = isVector ? try reshape(ab[1], b.type.shape + [1], rb) : ab[1]
    guard rhs.type.rank >= 2, rhs.type.shape[rhs.type.rank - 2] == n,
      let batch = Shape.broadcast(
        Array(a.type.shape.dropLast(2)), Array(rhs.type.shape.dropLast(2)))
    else {
      throw Diagnostic(.shapeMismatch("cannot solve \(a.type) against \(b.type)"), at: r)
        .labeled(ra).labeled(rb)
    }
    let k = rhs.type.shape[rhs.type.rank - 1]
    let x = try emit(
      .solve,
      [try broadcast(ab[0], to: batch + [n, n], r), try broadcast(rhs, to: batch + [n, k], r)], r)
    return isVector ? try reshape(x, batch + [n], r) : x
  }

  /// Checks for a batch of square matrices.
  func square(_ x: Traced, _ name: String, _ r: SourceRange) throws(Diagnostic) {
    let s = x.type.shape
    guard s.count >= 2, s[s.count - 1] == s[s.count - 2] else {
      throw Diagnostic(.shapeMismatch("'\(name)' needs a square matrix, got \(x.type)"), at: r)
    }
  }

  /// The main diagonal of a matrix.
  func mainDiagonal(_ x: Traced, _ r: SourceRange) throws(Diagnostic) -> Traced {
    guard x.type.rank == 2 else {
      throw Diagnostic(.shapeMismatch("expected a matrix, got \(x.type)"), at: r)
    }
    return try diagonal(x, offset: 0, 0, 1, r)
  }
}
