extension Builtins {
  /// Sorting, the positions of extremes, and reading through positions along an axis.
  static let sorting: [Builtin] = [
    Builtin(
      "sort",
      [.required("x"), .optional("dim", .int(-1)), .optional("descending", .bool(false))],
      aliases: ["axis": "dim"],
      summary:
        "x's elements sorted along dim (the last axis by default), ascending or descending, NaN the largest, equal elements in their order (a stable sort); the values, as `jnp.sort` (PyTorch's `torch.sort` also returns their positions, which argsort gives); its derivative moves each tangent with its element",
      example: "sort([3, 1, 2])"
    ) { t, a in
      let x = try a.tensor("x")
      guard x.type.rank > 0 else { return .traced(x) }  // PyTorch: a 0-d tensor is sorted
      let axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      let p = try t.argsort(x, axis: axis, descending: try a.bool("descending"), a.callRange)
      return .traced(try t.takeAlongAxis(x, p, axis: axis, a.callRange))
    },
    Builtin(
      "argsort",
      [.required("x"), .optional("dim", .int(-1)), .optional("descending", .bool(false))],
      aliases: ["axis": "dim"],
      summary:
        "the int64 positions that sort x along dim (the last axis by default): stable, so equal elements keep their order, with NaN the largest (as `jnp.argsort` and `torch.argsort(stable=True)`); its derivative is zero",
      example: "argsort([3, 1, 2])"
    ) { t, a in
      let x = try a.tensor("x")
      guard x.type.rank > 0 else {
        _ = try t.axis(try a.int("dim"), rank: 1, a.range("dim"))
        return .traced(try t.positions(Tensor(scalar: 0, dtype: .f64)))
      }
      let axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
      return .traced(
        try t.argsort(x, axis: axis, descending: try a.bool("descending"), a.callRange))
    },
    argReduction("argmax", largest: true),
    argReduction("argmin", largest: false),
    Builtin(
      "take_along_axis", [.required("x"), .required("indices"), .required("dim")],
      aliases: ["axis": "dim"],
      summary:
        "the elements of x at indices along dim: out[…, j, …] = x[…, indices[…, j, …], …] (NumPy's and JAX's take_along_axis, PyTorch's gather(x, dim, indices)); indices has x's rank and broadcasts with it off dim, negative indices count from the end, and dim=None reads the flattened x; linear in x, whose gradient adds into place",
      example: "take_along_axis([10, 20, 30], [2, 0], 0)"
    ) { t, a in
      var x = try a.tensor("x")
      var p = try a.tensor("indices")
      let r = a.callRange
      var axis = 0
      if a.isNone("dim") {
        guard p.type.rank == 1 else {
          throw Diagnostic(
            .shapeMismatch(
              "'take_along_axis' with dim=None needs indices of one axis, not \(p.type)"),
            at: a.range("indices"))
        }
        x = try t.reshape(x, [x.type.count], r)
      } else {
        guard x.type.rank == p.type.rank, x.type.rank > 0 else {
          throw Diagnostic(
            .shapeMismatch(
              "'take_along_axis' needs indices of x's rank: \(p.type) for \(x.type)"),
            at: a.range("indices"))
        }
        axis = try t.axis(try a.int("dim"), rank: x.type.rank, a.range("dim"))
        var xShape = x.type.shape
        var pShape = p.type.shape
        for d in xShape.indices where d != axis && xShape[d] != pShape[d] {
          guard xShape[d] == 1 || pShape[d] == 1 else {
            throw Diagnostic(
              .shapeMismatch(
                "'take_along_axis' cannot broadcast indices \(p.type) with \(x.type) off dim \(axis)"
              ),
              at: r)
          }
          xShape[d] = max(xShape[d], pShape[d])
          pShape[d] = xShape[d]
        }
        x = try t.broadcast(x, to: xShape, r)
        p = try t.broadcast(p, to: pShape, r)
      }
      try t.checkPositions(p, size: x.type.shape[axis], a.range("indices"))
      return .traced(try t.takeAlongAxis(x, p, axis: axis, r))
    },
  ]

  /// `argmax`, `argmin`: the position of the extreme along dim, or in the flattened x.
  private static func argReduction(_ name: String, largest: Bool) -> Builtin {
    let which = largest ? "largest" : "smallest"
    return Builtin(
      name, [.required("x"), .optional("dim"), .optional("keepdim", .bool(false))],
      aliases: ["axis": "dim", "keepdims": "keepdim"],
      summary:
        "the int64 position of the \(which) element along dim, or in the flattened x when dim is None (as PyTorch); the first of equal ones, and the first NaN if there is one; its derivative is zero",
      example: "\(name)([3, 1, 3])"
    ) { t, a in
      let x = try a.tensor("x")
      let r = a.callRange
      let keepdim = try a.bool("keepdim")
      if a.isNone("dim") {
        guard x.type.count > 0 else { throw Diagnostic(.emptyReduction(name), at: r) }
        let flat = try t.reshape(x, [x.type.count], r)
        let p = try t.emit(.argReduce(axis: 0, largest: largest), [flat], r)
        let shape = keepdim ? Array(repeating: 1, count: x.type.rank) : []
        return .traced(try t.reshape(t.positions(p), shape, r))
      }
      let axis = try t.axis(try a.int("dim"), rank: max(x.type.rank, 1), a.range("dim"))
      let lifted = x.type.rank == 0 ? try t.reshape(x, [1], r) : x
      // an empty axis has no extreme; other empty axes give an empty result (PyTorch)
      guard lifted.type.shape[axis] > 0 else { throw Diagnostic(.emptyReduction(name), at: r) }
      let p = t.positions(try t.emit(.argReduce(axis: axis, largest: largest), [lifted], r))
      guard keepdim else { return .traced(p) }
      var shape = x.type.shape
      if !shape.isEmpty { shape[axis] = 1 }
      return .traced(try t.reshape(p, shape, r))
    }
  }
}

extension Tracer {
  /// Positions (int64 by their primitive's kind rule) as a tensor in their own right, not a
  /// weak scalar, also when computed from one (`argmax(3)`).
  func positions(_ p: Traced) -> Traced {
    var p = p
    p.isWeak = false
    return p
  }

  /// A constant tensor of positions.
  func positions(_ t: Tensor) throws(Diagnostic) -> Traced {
    var t = t
    t.kind = .integer
    return try constant(t)
  }

  /// The positions that sort `x` along `axis` (stable, NaN the largest).
  func argsort(_ x: Traced, axis: Int, descending: Bool, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    positions(try emit(.argsort(axis: axis, descending: descending), [x], r))
  }

  /// `x` read at positions `p` along `axis` (operands of one shape off the axis).
  func takeAlongAxis(_ x: Traced, _ p: Traced, axis: Int, _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    var out = try emit(.takeAlongAxis(axis: axis), [x, p], r)
    out.isWeak = false
    return out
  }

  /// Checks that `p` holds positions: int64 (argsort's, or converted with `int64`), or a list
  /// of whole numbers written out (list literals are float); and that positions known while
  /// tracing are from −size to size − 1, as NumPy and PyTorch require. Computed positions are
  /// checked as they are read (outside the axis they read NaN, as in JAX).
  func checkPositions(_ p: Traced, size: Int, _ range: SourceRange) throws(Diagnostic) {
    let known = p.builder == builder.id ? builder.constantValue(p.v) : nil
    let isWhole = known?.doubles.allSatisfy { $0 == $0.rounded() } ?? false
    guard p.kind == .integer || (p.kind == .float && isWhole) else {
      throw Diagnostic(
        .invalidArgument(
          "take_along_axis", "indices must be int64, not \(p.kind.dtypeName(p.type.dtype))",
          help: "argsort, argmax and argmin give int64 positions; int64(i) or i.long() converts"),
        at: range)
    }
    for v in known?.doubles ?? [] where !(v >= -Double(size) && v < Double(size)) {
      let text = v.magnitude < 9e15 ? String(Int(v)) : ValueFormatter.numberText(v, .f64)
      throw Diagnostic(
        .invalidArgument(
          "take_along_axis",
          "index \(text) is out of range for an axis of \(size) elements",
          help: size == 0
            ? "an empty axis has no elements to take" : "indices run from \(-size) to \(size - 1)"),
        at: range)
    }
  }
}
