/// Emits equations like a ``GraphBuilder`` after rewriting them into cheaper equivalents:
///
/// - `x·1 → x`, `x + 0 → x`, `x − 0 → x`, `−(−x) → x`;
/// - sums and products take their operands in one order, scalings collect (`u·(w·a) → (uw)·a`)
///   and shared factors come out of sums (`a·p ± a·q → a·(p ± q)`), so equal values written
///   differently become one value;
/// - an elementwise operation of broadcasts along the same axes is computed on their sources
///   and broadcast once;
/// - reshape∘reshape, broadcast∘broadcast and transpose∘transpose become one operation,
///   identity reshapes, broadcasts and transposes disappear, and a transpose that moves only
///   unit axes is a reshape;
/// - a transpose moves below broadcasts, below elementwise operations whose operands are
///   broadcasts, and below a reshape that splits axes of such a value, so it rearranges the
///   small operands instead of the large result;
/// - a product of broadcast factors is multiplied in the order that writes the fewest
///   elements (``reassociatedProduct(_:_:)``);
/// - contractions are put in one form (``contraction(_:_:_:)``): scalings outside, transposed
///   operands read through their dimension numbers, products summed by `reduce_sum` as
///   contractions, and a contraction over nothing as a broadcast product;
/// - a product with a matrix known to be diagonal (``Diagonal``) becomes a scaling:
///   `diag(v) @ B = v[:, None] .* B` and `A @ diag(v) = A .* v[None, :]`.
///
/// A replaced equation is still emitted when something else needs its value; otherwise it is
/// dead and ``GraphBuilder/finish(outputs:)`` prunes it.
final class Rewriter {
  let builder: GraphBuilder
  /// How each equation-defined value was computed.
  private var definitions: [Var: (primitive: Primitive, inputs: [Var])] = [:]
  /// Values known to be diagonal, and values known not to be (`nil`).
  var diagonals: [Var: Diagonal?] = [:]
  private var uniformValues: [Var: Double?] = [:]
  /// Keys that order commutative operands (`Rewriter+Order.swift`).
  var structuralKeys: [Var: UInt64] = [:]
  /// Set while a product is emitted in a new order (`Rewriter+Products.swift`), whose own
  /// products are not reordered again.
  var isReassociating = false

  init(_ options: GraphBuilder.Options) {
    builder = GraphBuilder(options)
  }

  /// `primitive(inputs…)`, rewritten when a cheaper equivalent is known; emitted at `source`,
  /// or without one attributed as the builder attributes (``GraphBuilder/provenance``).
  func emit(_ primitive: Primitive, _ inputs: [Var], source: SourceRange?)
    throws(Diagnostic) -> Var
  {
    try emit(primitive, inputs, provenance: builder.provenance(of: source))
  }

  /// `primitive(inputs…)` from `provenance`, rewritten when a cheaper equivalent is known.
  func emit(_ primitive: Primitive, _ inputs: [Var], provenance: Provenance)
    throws(Diagnostic) -> Var
  {
    if let v = try uniformResult(primitive, inputs) { return v }
    if let v = try rewritten(primitive, inputs) { return v }
    let v = try builder.emit(primitive, inputs, provenance: provenance)
    guard builder.constantValue(v) == nil, definitions[v] == nil else { return v }
    definitions[v] = (primitive, inputs)
    recordKey(v, primitive, inputs)
    diagonals[v] = try primitive.rule.diagonal(inputs, shape: shape(v), self)
    return v
  }

  func shape(_ v: Var) -> [Int] { builder.type(of: v).shape }

  func definition(_ v: Var) -> (primitive: Primitive, inputs: [Var])? { definitions[v] }

  /// `(source, dims)` when `v = broadcast(source, dims)`.
  func broadcastSource(_ v: Var) -> (source: Var, dims: [Int])? {
    guard let d = definitions[v], case .broadcast(_, let dims) = d.primitive else { return nil }
    return (d.inputs[0], dims)
  }

  /// The one value every element of `v` has, when it is known before running.
  func uniformValue(_ v: Var) -> Double? {
    if let known = uniformValues[v] { return known }
    var result: Double?
    if let t = builder.constantValue(v) {
      if t.count > 0, (0..<t.count).allSatisfy({ t[flat: $0] == t[flat: 0] }) {
        result = t[flat: 0]
      }
    } else if let (source, _) = broadcastSource(v) {
      result = uniformValue(source)
    }
    uniformValues[v] = result
    return result
  }

  /// The result as one broadcast number when its rule knows every element is that number
  /// (``PrimitiveRule/uniform(_:_:output:)``) from operands known to be uniform; `nil` when
  /// not, or when every operand is a constant (folding computes it exactly) or the result is
  /// already a broadcast number.
  private func uniformResult(_ primitive: Primitive, _ x: [Var]) throws(Diagnostic) -> Var? {
    let values = x.map(uniformValue)
    guard values.contains(where: { $0 != nil }),
      !x.allSatisfy({ builder.constantValue($0) != nil }),
      !(primitive.kind == .broadcast && shape(x[0]).isEmpty)
    else { return nil }
    let types = x.map { builder.type(of: $0) }
    let output = try primitive.rule.outputType(types)
    guard let u = primitive.rule.uniform(values, types, output: output),
      u.isFinite || !builder.options.checksNonFinite  // --check-nans must see where it arose
    else { return nil }
    return try full(u, output.shape, output.dtype)
  }

  /// A tensor of `value` with the given shape, as a broadcast scalar.
  func full(_ value: Double, _ shape: [Int], _ dtype: DType) throws(Diagnostic) -> Var {
    let s = try builder.scalar(value, dtype)
    return shape.isEmpty ? s : try emit(.broadcast(shape: shape, dims: []), [s])
  }

  /// `(u, a)` when `v = u · a` for a number `u` known before running.
  func scaling(_ v: Var) -> (Double, Var)? {
    guard let d = definition(v) else { return nil }
    switch d.primitive {
    case .mul:
      if let u = uniformValue(d.inputs[0]) { return (u, d.inputs[1]) }
      if let u = uniformValue(d.inputs[1]) { return (u, d.inputs[0]) }
    case .neg: return (-1, d.inputs[0])
    case .add where d.inputs[0] == d.inputs[1]: return (2, d.inputs[0])
    default: break
    }
    return nil
  }

  /// A scaling of a scaling as one: `−(w·a)` and `w·a + w·a` as `(−w)·a` and `(2w)·a`, so that
  /// the signs and factors of a derivative collect into one product.
  private func rescaled(_ factor: Double, _ v: Var) throws(Diagnostic) -> Var? {
    guard let (w, inner) = scaling(v), definition(v)?.primitive == .mul else { return nil }
    return try scaled(inner, by: factor * w)
  }

  /// `factor · v`: `v` itself for 1, `−v` for −1.
  private func scaled(_ v: Var, by factor: Double) throws(Diagnostic) -> Var {
    if factor == 1 { return v }
    if factor == -1 { return try emit(.neg, [v]) }
    return try emit(.mul, [try full(factor, shape(v), builder.type(of: v).dtype), v])
  }

  /// `u · (w · a)` as `(u w) · a` for numbers `u`, `w` known before running.
  private func collectedScaling(_ a: Var, _ b: Var) throws(Diagnostic) -> Var? {
    for (scalar, other) in [(a, b), (b, a)] {
      guard let u = uniformValue(scalar), let (w, inner) = scaling(other) else { continue }
      return try scaled(inner, by: u * w)
    }
    return nil
  }

  /// An elementwise operation whose operands are all broadcasts along the same axes from
  /// sources of one shape (or tensors of one number), computed on the sources and broadcast
  /// once: `f(broadcast(s), broadcast(t)) = broadcast(f(s, t))`.
  private func onBroadcastSources(_ primitive: Primitive, _ x: [Var]) throws(Diagnostic) -> Var? {
    let broadcasts = x.map(broadcastSource)
    guard
      let common = broadcasts.compactMap({ $0 }).first(where: { !shape($0.source).isEmpty })
    else { return nil }
    let sourceShape = shape(common.source)
    var sources: [Var] = []
    for (v, b) in zip(x, broadcasts) {
      if let b, b.dims == common.dims, shape(b.source) == sourceShape {
        sources.append(b.source)
      } else if let u = uniformValue(v) {
        sources.append(try full(u, sourceShape, builder.type(of: v).dtype))
      } else {
        return nil
      }
    }
    let result = try emit(primitive, sources)
    return try emit(.broadcast(shape: shape(x[0]), dims: common.dims), [result])
  }

  /// An elementwise operation whose operands are all broadcasts (or tensors of one number),
  /// none of them along some unit axes of the result, computed without those axes and
  /// broadcast once: the unit axes a vmap or a Jacobian's shape adds then never separate the
  /// operations on either side of them (`f(broadcast(s), broadcast(t))` of shape [3, 1, n]
  /// is `broadcast(f(s', t'))` with `f` over [3, n]).
  private func withoutUnitAxes(_ primitive: Primitive, _ x: [Var]) throws(Diagnostic) -> Var? {
    guard let first = x.first else { return nil }
    let out = shape(first)
    var unit = Set(out.indices.filter { out[$0] == 1 })
    let broadcasts = x.map(broadcastSource)
    for (v, b) in zip(x, broadcasts) {
      if let b { unit.subtract(b.dims) } else if uniformValue(v) == nil { return nil }
    }
    guard !unit.isEmpty else { return nil }
    let kept = out.indices.filter { !unit.contains($0) }
    let reduced = kept.map { out[$0] }
    let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
    var operands: [Var] = []
    for (v, b) in zip(x, broadcasts) {
      if let b {
        let dims = b.dims.compactMap { position[$0] }
        operands.append(try emit(.broadcast(shape: reduced, dims: dims), [b.source]))
      } else if let u = uniformValue(v) {
        operands.append(try full(u, reduced, builder.type(of: v).dtype))
      }
    }
    return try emit(.broadcast(shape: out, dims: kept), [try emit(primitive, operands)])
  }

  /// A pad of a broadcast that pads nothing along the axes the broadcast creates or stretches,
  /// as the broadcast of the padded source (the smaller pad).
  private func paddedSource(_ v: Var, low: [Int], high: [Int], interior: [Int])
    throws(Diagnostic) -> Var?
  {
    guard let (source, dims) = broadcastSource(v) else { return nil }
    let sourceShape = shape(source)
    let out = shape(v)
    let own = Set(dims.indices.filter { sourceShape[$0] == out[dims[$0]] }.map { dims[$0] })
    guard
      out.indices.allSatisfy({
        own.contains($0) || (low[$0] == 0 && high[$0] == 0 && interior[$0] == 0)
      })
    else { return nil }
    let padded = try emit(
      .pad(
        low: dims.map { low[$0] }, high: dims.map { high[$0] },
        interior: dims.map { interior[$0] }), [source])
    let paddedShape = out.indices.map { a in
      dims.firstIndex(of: a).map { shape(padded)[$0] } ?? out[a]
    }
    return try emit(.broadcast(shape: paddedShape, dims: dims), [padded])
  }

  /// `a·p ± a·q` as `a·(p ± q)`: one product fewer, and like terms (`u·a + w·a`) collect.
  private func factored(_ op: Primitive, _ l: Var, _ r: Var) throws(Diagnostic) -> Var? {
    guard let dl = definition(l), dl.primitive == .mul, let dr = definition(r),
      dr.primitive == .mul
    else { return nil }
    for i in 0..<2 {
      for j in 0..<2 where dl.inputs[i] == dr.inputs[j] {
        let combined = try emit(op, [dl.inputs[1 - i], dr.inputs[1 - j]])
        return try emit(.mul, [dl.inputs[i], combined])
      }
    }
    return nil
  }

  // MARK: - Rewrites

  private func rewritten(_ primitive: Primitive, _ x: [Var]) throws(Diagnostic) -> Var? {
    if primitive.isElementwise {
      if let v = try onBroadcastSources(primitive, x) { return v }
      if let v = try withoutUnitAxes(primitive, x) { return v }
    }
    switch primitive {
    case .mul:
      if uniformValue(x[1]) == 1 { return x[0] }
      if uniformValue(x[0]) == 1 { return x[1] }
      if let v = try collectedScaling(x[0], x[1]) { return v }
      if let v = try reassociatedProduct(x[0], x[1]) { return v }
      if precedes(x[1], x[0]) { return try emit(.mul, [x[1], x[0]]) }  // one order of operands
    case .add:
      if uniformValue(x[1]) == 0 { return x[0] }
      if uniformValue(x[0]) == 0 { return x[1] }
      if x[0] == x[1], let v = try rescaled(2, x[0]) { return v }
      if let v = try factored(.add, x[0], x[1]) { return v }
      if precedes(x[1], x[0]) { return try emit(.add, [x[1], x[0]]) }
    case .sub:
      if uniformValue(x[1]) == 0 { return x[0] }
      if let v = try factored(.sub, x[0], x[1]) { return v }
    case .neg:
      if let d = definition(x[0]), d.primitive == .neg { return d.inputs[0] }
      if let v = try rescaled(-1, x[0]) { return v }
    case .reshape(let shape):
      if shape == self.shape(x[0]) { return x[0] }
      if let d = definition(x[0]), case .reshape = d.primitive {
        return try emit(.reshape(shape: shape), d.inputs)
      }
      if let (source, dims) = broadcastSource(x[0]), dims.isEmpty {
        return try emit(.broadcast(shape: shape, dims: []), [source])
      }
      if let (source, _) = broadcastSource(x[0]), let count = Shape.elementCount(shape),
        Shape.elementCount(self.shape(source)) == count
      {
        // a broadcast that only adds unit axes keeps the elements' order
        return try emit(.reshape(shape: shape), [source])
      }

    case .broadcast(let shape, let dims):
      if shape == self.shape(x[0]) { return x[0] }
      if let (source, inner) = broadcastSource(x[0]) {
        return try emit(.broadcast(shape: shape, dims: inner.map { dims[$0] }), [source])
      }
    case .transpose(let permutation):
      if permutation == Array(permutation.indices) { return x[0] }
      let shape = self.shape(x[0])
      let moved = permutation.filter { shape[$0] != 1 }
      if moved == moved.sorted() {
        // only unit axes move: the elements keep their order
        return try emit(.reshape(shape: permutation.map { shape[$0] }), x)
      }
      return try cheaplyTransposed(x[0], permutation, depth: 4)
    case .pad(let low, let high, let interior):
      return try paddedSource(x[0], low: low, high: high, interior: interior)
    case .dotGeneral(let d):
      return try contraction(d, x[0], x[1])
    case .reduceSum(let axes):
      return try productReduction(x[0], axes)
    case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh,
      .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round, .erf, .erfc,
      .erfinv, .lgamma, .polygamma,
      .logistic, .softplus, .stopGradient, .div, .pow, .atan2, .max, .min, .compare, .select,
      .convert, .slice,
      .reverse, .concatenate, .gather, .scatterAdd, .reduceMax, .reduceMin, .reduceProd, .argsort,
      .argReduce, .takeAlongAxis, .scatterAddAlongAxis, .inverse,
      .determinant, .solve, .adjugate, .cholesky, .eigh, .qr, .svd, .pseudoInverse, .customJVP,
      .customVJP, .customVJPTangent:
      break
    }
    return nil
  }

  /// `transpose(v, permutation)` computed from smaller values: a transpose of a transpose is
  /// one transpose, a broadcast is transposed by permuting its (smaller) source, an
  /// elementwise operation by transposing its operands, and a splitting reshape of those by
  /// splitting their operands first, when they can all be rearranged so. A concatenation is
  /// the concatenation of its transposed operands (along the axis its axis moves to), so the
  /// slices of a sliced Jacobian are each rearranged, and can be written into their place in
  /// the result as they are computed (``Assembly``), instead of the whole result being copied.
  private func cheaplyTransposed(_ v: Var, _ permutation: [Int], depth: Int)
    throws(Diagnostic) -> Var?
  {
    if let u = uniformValue(v) {
      return try full(u, permutation.map { shape(v)[$0] }, builder.type(of: v).dtype)
    }
    if depth < 4, let t = builder.constantValue(v), t.count <= 1 << 16 {
      // a constant operand of what moves is rearranged once, now (a transposed constant on
      // its own stays a transpose, which a contraction reading it can absorb)
      return try builder.constant(Transpose(permutation: permutation).evaluate([t]))
    }
    guard let d = definition(v) else { return nil }
    if case .concatenate(let axis) = d.primitive, let moved = permutation.firstIndex(of: axis) {
      // transpose(concatenate(xₖ, axis), p) = concatenate(transpose(xₖ, p), p⁻¹(axis))
      var parts: [Var] = []
      for x in d.inputs {
        if depth > 0, let cheap = try cheaplyTransposed(x, permutation, depth: depth - 1) {
          parts.append(cheap)
        } else {
          parts.append(try emit(.transpose(permutation: permutation), [x]))
        }
      }
      return try emit(.concatenate(axis: moved), parts)
    }
    if d.primitive.isElementwise {
      guard depth > 0 else { return nil }
      return try applied(d.primitive, to: d.inputs) { operand throws(Diagnostic) in
        try cheaplyTransposed(operand, permutation, depth: depth - 1)
      }
    }
    switch d.primitive {
    case .transpose(let inner):
      return try emit(.transpose(permutation: permutation.map { inner[$0] }), d.inputs)
    case .reshape(let shape):
      guard depth > 0, let groups = Self.splitGroups(self.shape(d.inputs[0]), shape),
        let split = try cheaplySplit(d.inputs[0], shape, groups, depth: 4)
      else { return nil }
      return try cheaplyTransposed(split, permutation, depth: depth - 1)
    case .broadcast(let shape, let dims):
      var position = permutation
      for (i, axis) in permutation.enumerated() { position[axis] = i }
      let target = dims.map { position[$0] }
      let order = target.indices.sorted { target[$0] < target[$1] }
      let source = try emit(.transpose(permutation: order), d.inputs)
      return try emit(
        .broadcast(shape: permutation.map { shape[$0] }, dims: order.map { target[$0] }), [source])
    case .dotGeneral(let dims):
      // the two operands' free axes exchanged: the contraction with its operands exchanged
      let (a, b) = (d.inputs[0], d.inputs[1])
      let nb = dims.lhsBatch.count
      let lf = dims.lhsFree(rank: self.shape(a).count).count
      let rf = dims.rhsFree(rank: self.shape(b).count).count
      let exchanged = Array(0..<nb) + (0..<rf).map { nb + lf + $0 } + (0..<lf).map { nb + $0 }
      guard permutation == exchanged else { return nil }
      return try emit(.dotGeneral(dims.swapped), [b, a])
    case .neg, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh,
      .acosh, .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round,
      .erf, .erfc, .erfinv, .lgamma, .polygamma, .logistic, .softplus, .stopGradient, .add, .sub,
      .mul, .div,
      .pow, .atan2, .max, .min, .compare,
      .select,
      .convert, .slice, .pad, .reverse, .concatenate, .gather, .scatterAdd, .reduceSum, .reduceMax,
      .reduceMin,
      .reduceProd, .argsort, .argReduce, .takeAlongAxis, .scatterAddAlongAxis, .inverse,
      .determinant, .solve, .adjugate, .cholesky, .eigh, .qr, .svd,
      .pseudoInverse, .customJVP, .customVJP, .customVJPTangent:
      return nil  // elementwise primitives were handled above
    }
  }

  /// The elementwise `primitive` applied to `operands` each rearranged by `rearrange` (which
  /// moves a transpose or reshape onto it), or `nil` when one of them cannot be.
  private func applied(
    _ primitive: Primitive, to operands: [Var],
    _ rearrange: (Var) throws(Diagnostic) -> Var?
  ) throws(Diagnostic) -> Var? {
    var rearranged: [Var] = []
    for operand in operands {
      guard let v = try rearrange(operand) else { return nil }
      rearranged.append(v)
    }
    return try emit(primitive, rearranged)
  }

  /// For a reshape from `old` to `new` that only splits axes (and adds or drops unit axes):
  /// for each old axis, the new axes it becomes; `nil` for any other reshape.
  static func splitGroups(_ old: [Int], _ new: [Int]) -> [[Int]]? {
    var groups: [[Int]] = []
    var j = 0
    for size in old {
      var group: [Int] = []
      var product = 1
      while j < new.count, product < size || (new[j] == 1 && size != 1) {
        product *= new[j]
        group.append(j)
        j += 1
      }
      guard product == size else { return nil }
      groups.append(group)
    }
    while j < new.count, new[j] == 1 { j += 1 }
    return j == new.count ? groups : nil
  }

  /// `reshape(v, shape)` for a reshape that splits axes (`groups`), computed from smaller
  /// values: a broadcast by reshaping its source, an elementwise operation by reshaping its
  /// operands, when they can all be reshaped so.
  private func cheaplySplit(_ v: Var, _ shape: [Int], _ groups: [[Int]], depth: Int)
    throws(Diagnostic) -> Var?
  {
    if let u = uniformValue(v) { return try full(u, shape, builder.type(of: v).dtype) }
    guard let d = definition(v) else { return nil }
    if d.primitive.isElementwise {
      guard depth > 0 else { return nil }
      return try applied(d.primitive, to: d.inputs) { operand throws(Diagnostic) in
        try cheaplySplit(operand, shape, groups, depth: depth - 1)
      }
    }
    switch d.primitive {
    case .broadcast(_, let dims):
      let source = d.inputs[0]
      var sourceShape: [Int] = []
      var newDims: [Int] = []
      for (k, size) in self.shape(source).enumerated() where size != 1 {
        sourceShape += groups[dims[k]].map { shape[$0] }
        newDims += groups[dims[k]]
      }
      let reshaped = try emit(.reshape(shape: sourceShape), [source])
      return try emit(.broadcast(shape: shape, dims: newDims), [reshaped])
    case .neg, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh,
      .acosh, .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round,
      .erf, .erfc, .erfinv, .lgamma, .polygamma, .logistic, .softplus, .stopGradient, .add, .sub,
      .mul, .div,
      .pow, .atan2, .max, .min, .compare,
      .select,
      .convert, .reshape, .transpose, .slice, .pad, .reverse, .concatenate, .gather, .scatterAdd,
      .reduceSum, .reduceMax,
      .reduceMin, .reduceProd, .argsort, .argReduce, .takeAlongAxis, .scatterAddAlongAxis,
      .dotGeneral, .inverse, .determinant, .solve, .adjugate, .cholesky,
      .eigh, .qr, .svd, .pseudoInverse, .customJVP, .customVJP, .customVJPTangent:
      return nil  // elementwise primitives were handled above
    }
  }
}
