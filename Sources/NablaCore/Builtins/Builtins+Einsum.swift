extension Builtins {
  static let einsums: [Builtin] = [einsum]

  private static let einsum = Builtin(
    "einsum", [.required("subscripts"), .variadic("operands")],
    summary:
      "Einstein summation: products of the operands' elements, summed over the subscripts not in the output (\"ij,jk->ik\", \"ii\", \"...ij->...ji\"; without '->' the output is the subscripts seen once, in order)",
    example: "einsum(\"ij,j->i\", [[1, 2], [3, 4]], [1, 1])"
  ) { t, a in
    let spec = try a.string("subscripts")
    let operands = try a.tensors("operands")
    guard !operands.isEmpty else {
      throw Diagnostic(.invalidArgument("einsum", "needs at least one operand"), at: a.callRange)
    }
    let subscripts: EinsumSubscripts
    do throws(EinsumError) {
      subscripts = try EinsumSubscripts(spec, ranks: operands.map(\.type.rank))
    } catch {
      throw Diagnostic(.invalidArgument("einsum", error.message), at: a.range("subscripts"))
    }
    return .traced(try t.einsum(subscripts, try t.unifyDTypes(operands, a.callRange), a.callRange))
  }
}

extension Tracer {
  /// A tensor with a label for each axis, as `einsum` folds its operands.
  private struct Labelled {
    var value: Traced
    var labels: [EinsumSubscripts.Label]
  }

  /// `einsum`: each operand's repeated labels taken as diagonals, then the operands contracted
  /// left to right, each pair by one `dot_general` whose batch axes are the shared labels still
  /// needed (by the output or a later operand) and whose contracted axes are the shared labels
  /// that are not; labels no longer needed are summed as soon as they are alone. Axes of size 1
  /// under `...` broadcast.
  func einsum(_ s: EinsumSubscripts, _ operands: [Traced], _ r: SourceRange) throws(Diagnostic)
    -> Traced
  {
    var sizes: [EinsumSubscripts.Label: Int] = [:]
    for (x, labels) in zip(operands, s.operands) {
      for (label, size) in zip(labels, x.type.shape) {
        guard let known = sizes[label] else {
          sizes[label] = size
          continue
        }
        // letters must agree; an axis under `...` of size 1 broadcasts
        let broadcasts: Bool = if case .ellipsis = label { known == 1 || size == 1 } else { false }
        guard known == size || broadcasts else {
          throw Diagnostic(
            .shapeMismatch("einsum subscript \(label) has sizes \(known) and \(size)"), at: r)
        }
        sizes[label] = max(known, size)
      }
    }
    var pending: [Labelled] = []
    for (x, labels) in zip(operands, s.operands) {
      var item = try withoutRepeats(Labelled(value: x, labels: labels), r)
      // broadcast `...` axes of size 1 to their full size
      let full = item.labels.map { sizes[$0] ?? 1 }
      if full != item.value.type.shape { item.value = try broadcast(item.value, to: full, r) }
      pending.append(item)
    }
    var result = pending.removeFirst()
    while !pending.isEmpty {
      let next = pending.removeFirst()
      let later = Set(s.output + pending.flatMap(\.labels))
      result = try summed(result, keeping: later.union(next.labels), r)
      let rhs = try summed(next, keeping: later.union(result.labels), r)
      result = try contracted(result, rhs, needed: later, r)
    }
    result = try summed(result, keeping: Set(s.output), r)
    let order = s.output.compactMap { result.labels.firstIndex(of: $0) }
    return order == Array(0..<order.count) ? result.value : try transposed(result.value, order, r)
  }

  /// `x` with each label that appears twice replaced by the diagonal of its two axes.
  private func withoutRepeats(_ x: Labelled, _ r: SourceRange) throws(Diagnostic) -> Labelled {
    var x = x
    while let i = x.labels.indices.first(where: { i in x.labels[(i + 1)...].contains(x.labels[i]) }
    ) {
      let label = x.labels[i]
      guard let j = x.labels[(i + 1)...].firstIndex(of: label) else { break }
      guard x.value.type.shape[i] == x.value.type.shape[j] else {
        throw Diagnostic(
          .shapeMismatch(
            "einsum subscript \(label) repeats over axes of sizes \(x.value.type.shape[i]) and \(x.value.type.shape[j])"
          ),
          at: r)
      }
      x.value = try diagonal(x.value, offset: 0, i, j, r)
      x.labels = x.labels.indices.filter { $0 != i && $0 != j }.map { x.labels[$0] } + [label]
    }
    return x
  }

  /// `x` summed over the labels not in `keeping`.
  private func summed(_ x: Labelled, keeping: Set<EinsumSubscripts.Label>, _ r: SourceRange)
    throws(Diagnostic) -> Labelled
  {
    let axes = x.labels.indices.filter { !keeping.contains(x.labels[$0]) }
    guard !axes.isEmpty else { return x }
    return Labelled(
      value: try reduce({ .reduceSum(axes: $0) }, x.value, axes, keepdim: false, r),
      labels: x.labels.indices.filter { !axes.contains($0) }.map { x.labels[$0] })
  }

  /// The contraction of `a` and `b` over their shared labels: batched over those in `needed`,
  /// summed over the rest. The result's labels: batch, then `a`'s free, then `b`'s free.
  private func contracted(
    _ a: Labelled, _ b: Labelled, needed: Set<EinsumSubscripts.Label>, _ r: SourceRange
  ) throws(Diagnostic) -> Labelled {
    let shared = a.labels.filter { b.labels.contains($0) }
    let batch = shared.filter { needed.contains($0) }
    let contract = shared.filter { !needed.contains($0) }
    func positions(_ x: Labelled, _ labels: [EinsumSubscripts.Label]) -> [Int] {
      labels.compactMap { x.labels.firstIndex(of: $0) }
    }
    let dims = DotDimensions(
      lhsBatch: positions(a, batch), rhsBatch: positions(b, batch),
      lhsContract: positions(a, contract), rhsContract: positions(b, contract))
    let value = try emit(.dotGeneral(dims), [a.value, b.value], r)
    let free = { (x: Labelled) in x.labels.filter { !shared.contains($0) } }
    return Labelled(value: value, labels: batch + free(a) + free(b))
  }
}
