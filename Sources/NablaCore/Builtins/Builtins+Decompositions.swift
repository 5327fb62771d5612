extension Builtins {
  /// Matrix factorizations and what is built on them, each over batches `[…, m, n]`.
  static let decompositions: [Builtin] = [
    matrixBuiltin(
      "cholesky", square: true,
      summary:
        "the lower Cholesky factor L of (A + Aᵀ)/2 = L Lᵀ (JAX's symmetrisation); NaN where that is not positive definite",
      example: "cholesky([[4, 2], [2, 3]])"
    ) { t, x, r in try t.unary(.cholesky, x, r) },
    Builtin(
      "eigh", [.required("A")],
      summary:
        "(w, V): the eigenvalues ascending and the eigenvectors as columns of (A + Aᵀ)/2, each vector's largest entry positive",
      example: "eigh([[2, 1], [1, 2]])"
    ) { t, a in
      let x = try t.matrices(try a.tensor("A"), "eigh", square: true, a.range("A"))
      let r = a.callRange
      return .tuple([
        .traced(try t.unary(.eigh(.values), x, r)), .traced(try t.unary(.eigh(.vectors), x, r)),
      ])
    },
    matrixBuiltin(
      "eigvalsh", square: true, summary: "the eigenvalues of (A + Aᵀ)/2, ascending",
      example: "eigvalsh([[2, 1], [1, 2]])"
    ) { t, x, r in try t.unary(.eigh(.values), x, r) },
    Builtin(
      "qr", [.required("A"), .optional("mode", .string("reduced"))],
      summary:
        "(Q, R) with A = Q R, Q's columns orthonormal and R upper triangular (reduced; mode=\"r\": R alone), signs as NumPy's",
      example: "qr([[3, 1], [4, 2]])"
    ) { t, a in
      let x = try t.matrices(try a.tensor("A"), "qr", square: false, a.range("A"))
      let r = a.callRange
      switch try a.string("mode") {
      case "reduced":
        return .tuple([.traced(try t.unary(.qr(.q), x, r)), .traced(try t.unary(.qr(.r), x, r))])
      case "r": return .traced(try t.unary(.qr(.r), x, r))
      case let mode:
        throw Diagnostic(
          .invalidArgument("qr", "mode \"\(mode)\" is not \"reduced\" or \"r\""),
          at: a.range("mode"))
      }
    },
    Builtin(
      "svd", [.required("A"), .optional("full_matrices", .bool(false))],
      summary:
        "(U, S, Vh) with A = U diag(S) Vh, reduced, S descending, each column of U with its largest entry positive",
      example: "svd([[3, 0], [4, 5]])"
    ) { t, a in
      let x = try t.matrices(try a.tensor("A"), "svd", square: false, a.range("A"))
      let shape = x.type.shape
      if try a.bool("full_matrices"), shape[shape.count - 1] != shape[shape.count - 2] {
        throw Diagnostic(
          .invalidArgument(
            "svd", "full_matrices=True is not supported for \(x.type); only the reduced factors"),
          at: a.range("full_matrices"))
      }
      let r = a.callRange
      return .tuple(
        try [Primitive.SVDOutput.u, .s, .vh].map { output throws(Diagnostic) in
          .traced(try t.unary(.svd(output), x, r))
        })
    },
    matrixBuiltin(
      "svdvals", square: false, summary: "the singular values, descending",
      example: "svdvals([[3, 0], [4, 5]])"
    ) { t, x, r in try t.unary(.svd(.s), x, r) },
    matrixBuiltin(
      "pinv", square: false,
      summary:
        "the Moore–Penrose pseudo-inverse, singular values up to 10·max(m, n)·ε·s_max taken as 0 (as JAX)",
      example: "pinv([[1, 2], [2, 4]])"
    ) { t, x, r in try t.unary(.pseudoInverse, x, r) },
    Builtin(
      "lstsq", [.required("A"), .required("b")],
      summary:
        "(x, residuals, rank, s) as JAX's lstsq: the least-squares solution x = pinv(A) b of A x ≈ b, the squared residual norms ‖b − A x‖² per column of b, the number of singular values above max(m, n)·ε·s_max, and the singular values",
      example: "lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4])"
    ) { t, a in
      let r = a.callRange
      let x = try t.matrices(try a.tensor("A"), "lstsq", square: false, a.range("A"))
      let b = try a.tensor("b")
      let rows = x.type.shape[x.type.rank - 2]
      let bRows = b.type.rank == x.type.rank - 1 ? b.type.shape.last : b.type.shape.dropLast().last
      guard b.type.rank >= 1, bRows == rows else {
        throw Diagnostic(.shapeMismatch("cannot fit \(x.type) to \(b.type)"), at: r)
          .labeled(a.range("A")).labeled(a.range("b"))
      }
      let solution = try t.matmul(
        try t.unary(.pseudoInverse, x, r), b, r, a.range("A"), a.range("b"))
      let residual = try t.elementwise(.sub, b, try t.matmul(x, solution, r, nil, nil), r, r, r)
      let squared = try t.elementwise(.mul, residual, residual, r, r, r)
      let rowAxis = b.type.rank == x.type.rank ? b.type.rank - 2 : b.type.rank - 1
      // keepdim for a vector b: one residual, shape (1,), as NumPy and JAX give it
      let residuals = try t.reduce(
        { .reduceSum(axes: $0) }, squared, [rowAxis], keepdim: b.type.rank < x.type.rank, r)
      // the rank as JAX counts it: singular values at least max(m, n)·ε times the largest
      let s = try t.unary(.svd(.s), x, r)
      guard s.type.shape.last != 0 else {  // an empty A: no singular values, rank 0
        let rank = try t.broadcast(
          try t.scalar(0, s.type.dtype), to: Array(s.type.shape.dropLast()), r)
        return .tuple([.traced(solution), .traced(residuals), .traced(rank), .traced(s)])
      }
      let epsilon = x.type.dtype == .f32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
      let largest = try t.reduce({ .reduceMax(axes: $0) }, s, [s.type.rank - 1], keepdim: true, r)
      let cutoff = try t.scaled(
        largest, Double(max(rows, x.type.shape[x.type.rank - 1])) * epsilon, r)
      let kept = try t.elementwise(.compare(.ge), s, cutoff, r, r, r)
      let rank = try t.reduce({ .reduceSum(axes: $0) }, kept, [s.type.rank - 1], keepdim: false, r)
      return .tuple([.traced(solution), .traced(residuals), .traced(rank), .traced(s)])
    },
    Builtin(
      "solve_triangular", [.required("A"), .required("b"), .optional("lower", .bool(false))],
      summary:
        "x with A x = b, reading only A's upper triangle (lower=True: its lower one), as JAX's",
      example: "solve_triangular([[2, 1], [0, 4]], [4, 8])"
    ) { t, a in
      let r = a.callRange
      let x = try t.matrices(try a.tensor("A"), "solve_triangular", square: true, a.range("A"))
      let triangle = try t.triangle(x, lower: try a.bool("lower"), r)
      return .traced(try t.solve(triangle, try a.tensor("b"), r, a.range("A"), a.range("b")))
    },
    Builtin(
      "cholesky_solve", [.required("B"), .required("L"), .optional("upper", .bool(false))],
      summary:
        "X with L Lᵀ X = B for a lower Cholesky factor L (upper=True: Uᵀ U X = B), as PyTorch's; only L's triangle is read",
      example: "cholesky_solve([2, 3], [[2, 0], [1, 1]])"
    ) { t, a in
      let r = a.callRange
      let (rb, rl) = (a.range("B"), a.range("L"))
      let upper = try a.bool("upper")
      let l = try t.triangle(
        try t.matrices(try a.tensor("L"), "cholesky_solve", square: true, rl), lower: !upper, r)
      let lt = try t.transposed(l, matrixSwap(l.type.rank), r)
      let (first, second) = upper ? (lt, l) : (l, lt)
      let y = try t.solve(first, try a.tensor("B"), r, rl, rb)
      return .traced(try t.solve(second, y, r, rl, rb))
    },
    matrixBuiltin(
      "adjugate", square: true,
      summary: "the adjugate det(A) A⁻¹ (the transposed cofactor matrix), also of singular A",
      example: "adjugate([[1, 2], [2, 4]])"
    ) { t, x, r in try t.unary(.adjugate, x, r) },
    Builtin(
      "matrix_norm", [.required("A"), .optional("ord", .string("fro"))],
      summary:
        "the Frobenius norm (ord=\"fro\"), nuclear norm (\"nuc\"), largest (2) or smallest (-2) singular value",
      example: "matrix_norm([[3, 0], [4, 5]], 2)"
    ) { t, a in
      let r = a.callRange
      let x = try t.matrices(try a.tensor("A"), "matrix_norm", square: false, a.range("A"))
      let last = x.type.rank - 1
      switch a.value("ord") {
      case .string("fro"):
        let squares = try t.elementwise(.mul, x, x, r, r, r)
        return .traced(
          try t.unary(.sqrt, try t.emit(.reduceSum(axes: [last - 1, last]), [squares], r), r))
      case .string("nuc"):
        return .traced(try t.emit(.reduceSum(axes: [last - 1]), [try t.unary(.svd(.s), x, r)], r))
      case .int(2):
        return .traced(try t.emit(.reduceMax(axes: [last - 1]), [try t.unary(.svd(.s), x, r)], r))
      case .int(-2):
        return .traced(try t.emit(.reduceMin(axes: [last - 1]), [try t.unary(.svd(.s), x, r)], r))
      default:
        throw Diagnostic(
          .invalidArgument("matrix_norm", "ord must be \"fro\", \"nuc\", 2 or -2"),
          at: a.range("ord"))
      }
    },
  ]

  /// A built-in of one batch of matrices `A` (square ones when `square`) that emits
  /// `make(A)`.
  private static func matrixBuiltin(
    _ name: String, square: Bool, summary: String, example: String,
    _ make: @escaping @Sendable (Tracer, Traced, SourceRange) throws -> Traced
  ) -> Builtin {
    Builtin(name, [.required("A")], summary: summary, example: example) { t, a in
      .traced(
        try make(
          t, try t.matrices(try a.tensor("A"), name, square: square, a.range("A")), a.callRange))
    }
  }
}

/// The permutation swapping the last two of `rank` axes.
private func matrixSwap(_ rank: Int) -> [Int] {
  var p = Array(0..<rank)
  p.swapAt(rank - 1, rank - 2)
  return p
}

extension Tracer {
  /// `x` when it is a batch of matrices `[…, m, n]` (square ones when `square`).
  func matrices(_ x: Traced, _ name: String, square: Bool, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    if square {
      try self.square(x, name, r)
    } else {
      guard x.type.rank >= 2 else {
        throw Diagnostic(.shapeMismatch("'\(name)' needs a matrix, got \(x.type)"), at: r)
      }
    }
    return x
  }

  /// The lower (or upper) triangle of a batch of square matrices, the rest zero (selected,
  /// so an infinity or NaN outside the triangle is not read).
  func triangle(_ x: Traced, lower: Bool, _ r: SourceRange) throws(Diagnostic) -> Traced {
    let n = x.type.shape[x.type.rank - 1]
    try builder.checkConstantSize(n.multipliedReportingOverflow(by: n), x.type.dtype)
    var mask = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n where lower ? j <= i : j >= i { mask[i * n + j] = 1 }
    }
    let m = try constant(Tensor(shape: [n, n], values: mask, dtype: x.type.dtype))
    return try select(m, x, try scalar(0, x.type.dtype, weak: true), r)
  }
}
