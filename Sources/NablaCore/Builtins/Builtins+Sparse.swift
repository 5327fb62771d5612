extension Builtins {
  static let sparse: [Builtin] = [
    Builtin(
      "todense", [.required("S")],
      summary:
        "the dense [rows, columns] tensor of a sparse matrix (a sparse Jacobian or Hessian, a loaded .npz or .mtx); differentiable; a tensor is returned as it is",
      example:
        "todense(jacobian(x -> x[1:] .* x[:-1], sparse_output=True)([1, 2, 3]))"
    ) { t, a in
      guard case .sparse(let s) = a.value("S") else { return .traced(try a.tensor("S")) }
      return .traced(try t.densified(s, a.range("S")))
    }
  ]
}

extension Tracer {
  /// The dense matrix of `s`: a ``Primitive/scatterAdd(_:shape:)`` of its values to their
  /// row-major positions `row * columns + column` in zeros of `[rows, columns]` (linear, so
  /// derivatives flow through it to the values).
  func densified(_ s: SparseMatrix, _ range: SourceRange) throws(Diagnostic) -> Traced {
    let p = s.pattern
    try checkShape([p.rows, p.columns], range)
    let values = try asTraced(s.values, range, context: "'todense' argument 'S'")
    var places: [Int] = []
    places.reserveCapacity(p.nonZeros)
    for i in 0..<p.rows { for j in p[row: i] { places.append(i * p.columns + j) } }
    return try emit(
      .scatterAdd(ElementTable(places), shape: [p.rows, p.columns]), [values], range)
  }
}
