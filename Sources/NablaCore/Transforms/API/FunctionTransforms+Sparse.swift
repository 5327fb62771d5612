/// Sparse Jacobians and Hessians (as CasADi and asdex compute them): the pattern is detected
/// from the traced function (``SparsityDetection``), coloured (``Colouring``), the compressed
/// products `J V` (or `Uᵀ J`) are evaluated as one batch of JVPs (VJPs) over the colours, and
/// each non-zero is read out of them with a ``Primitive/gather(_:shape:)``. The result is the
/// dense Jacobian (a ``Primitive/scatterAdd(_:shape:)`` of the non-zeros into zeros) or, with
/// `sparse_output`, a ``SparseMatrix`` per block.
extension FunctionTransforms {
  /// A traced function's Jacobian pattern: every output leaf (rows, one after another)
  /// against every differentiated input leaf (columns).
  struct DetectedPattern {
    let pattern: SparsityPattern
    let rowRanges: [Range<Int>]
    let columnRanges: [Int: Range<Int>]

    /// The block of output leaf `i` and input leaf `x`.
    func block(_ i: Int, _ x: Int) -> SparsityPattern? {
      columnRanges[x].map { pattern.block(rows: rowRanges[i], columns: $0) }
    }
  }

  /// What the sparse path will do: the pattern, the mode, and its colourings (one per input
  /// leaf in forward mode, one per output leaf in reverse mode).
  struct SparsePlan {
    let detected: DetectedPattern
    let mode: JacobianMode
    let colourings: [Colouring]
    var colours: Int { colourings.reduce(0) { $0 + $1.count } }
  }

  /// The pattern of `tf`'s Jacobian with respect to `inputLeaves`, or `nil` when some element
  /// depends on more than `widest` input elements (`nil`: any number) or detection would
  /// need more memory than `--max-memory` allows for it.
  func detectPattern(_ tf: TracedFunction, _ inputLeaves: [Int], widest: Int?)
    -> DetectedPattern?
  {
    var rowRanges: [Range<Int>] = []
    for t in tf.outputTypes {
      let start = rowRanges.last?.upperBound ?? 0
      rowRanges.append(start..<(start + t.count))
    }
    var columnRanges: [Int: Range<Int>] = [:]
    var columns = 0
    for x in inputLeaves {
      columnRanges[x] = columns..<(columns + tf.inputType(x).count)
      columns += tf.inputType(x).count
    }
    // detection's sets are 8-byte numbers, a few tensors of them alive at once
    let memory = session.options.memoryLimit
    let limits =
      widest.map { DependencyLimits(widest: $0, entries: max(1 << 16, min(1 << 24, memory / 64))) }
      ?? DependencyLimits(widest: .max, entries: max(1 << 16, memory / 32))
    guard
      let pattern = try? SparsityDetection.jacobianPattern(
        tf.graph, outputs: tf.outputTypes.count, wrt: inputLeaves, limits: limits)
    else { return nil }
    return DetectedPattern(pattern: pattern, rowRanges: rowRanges, columnRanges: columnRanges)
  }

  /// The pattern, or an error saying it could not be detected.
  func requirePattern(_ tf: TracedFunction, _ inputLeaves: [Int]) throws(Diagnostic)
    -> DetectedPattern
  {
    guard let detected = detectPattern(tf, inputLeaves, widest: nil) else {
      throw Diagnostic(
        .invalidArgument(
          name,
          "the sparsity pattern is too dense to detect within --max-memory; "
            + "raise the limit, or use sparse=False"), at: range)
    }
    return detected
  }

  /// `jacobian_sparsity(f)(arguments…)`: the pattern of each block of the Jacobian as a
  /// sparse matrix of ones, arranged as the Jacobian's blocks are (the auxiliary output of a
  /// `has_aux` function is left out).
  func sparsityPattern(
    _ f: Function, _ arguments: [(Value, SourceRange)], _ argnums: Argnums, hasAux: Bool
  ) throws(Diagnostic) -> Value {
    let positions = try argnums.resolved(count: arguments.count, at: range)
    let tf = try trace(f, try differentiable(arguments, positions), hasAux: hasAux)
    let inputLeaves = Array(Set(tf.leaves(of: positions))).sorted()
    let detected = try requirePattern(tf, inputLeaves)
    let inner = tf.structure(of: positions, isTuple: argnums.isTuple)
    let perOutput = tf.outputTypes.indices.map { i in
      inner.unflatten(
        tf.leaves(of: positions).compactMap { x in
          detected.block(i, x).map { block in
            Value.sparse(
              SparseMatrix(
                pattern: block,
                values: .tensor(
                  Tensor(repeating: 1, shape: [block.nonZeros], dtype: tf.inputType(x).dtype))))
          }
        })
    }
    return tf.output.unflatten(perOutput)
  }

  /// The sparse plan when `sparsity` asks for one or, left to choose, when colouring needs at
  /// least ``decisiveRatio`` times fewer products than the dense basis; `symmetric` marks a
  /// Hessian (a star colouring when it has one block).
  func sparsePlan(
    _ tf: TracedFunction, _ inputLeaves: [Int], requested: JacobianMode?, symmetric: Bool,
    _ sparsity: SparseOptions
  ) throws(Diagnostic) -> SparsePlan? {
    let forced = sparsity.sparse == true || sparsity.output
    guard forced || (sparsity.sparse == nil && tracer.automaticSparsity) else { return nil }
    let rows = tf.outputTypes.reduce(0) { $0 + $1.count }
    let columns = inputLeaves.reduce(0) { $0 + tf.inputType($1).count }
    guard rows > 0, columns > 0 else { return nil }
    // as for a dense Jacobian, the mode asked for is a preference unless --literal-modes
    let mode = session.options.choosesJacobianMode ? nil : requested
    let dense =
      switch mode {
      case .forward: columns
      case .reverse: rows
      case nil: min(rows, columns)
      }
    guard forced || dense >= Self.decisiveRatio else { return nil }
    let detected: DetectedPattern
    if forced {
      detected = try requirePattern(tf, inputLeaves)
    } else if let d = detectPattern(tf, inputLeaves, widest: max(1, dense / Self.decisiveRatio)) {
      detected = d
    } else {
      return nil
    }
    let (pattern, rowRanges, columnRanges) = (
      detected.pattern, detected.rowRanges, detected.columnRanges
    )
    let fullRows = 0..<rows
    // a mode whose lower bound on colours (the widest row for columns, the widest column for
    // rows) already fails to pay is not coloured
    func mayPay(_ widest: Int) -> Bool { forced || widest * Self.decisiveRatio <= dense }
    func forwardColourings() -> [Colouring]? {
      guard symmetric || mayPay(pattern.widestRow) else { return nil }
      return inputLeaves.compactMap { x in
        columnRanges[x].map { cx in
          let block = pattern.block(rows: fullRows, columns: cx)
          if symmetric, inputLeaves.count == 1, rowRanges.count == 1, rows == columns,
            let star = Colouring.star(block)
          {
            guard star.count > block.widestRow else { return star }
            let plain = Colouring.columns(block)
            return star.count <= plain.count ? star : plain
          }
          return Colouring.columns(block)
        }
      }
    }
    func reverseColourings() -> [Colouring]? {
      guard mayPay(pattern.transposed.widestRow) else { return nil }
      return rowRanges.map { ry in Colouring.rows(pattern.block(rows: ry, columns: 0..<columns)) }
    }
    let forward =
      mode == .reverse
      ? nil
      : forwardColourings().map {
        SparsePlan(detected: detected, mode: .forward, colourings: $0)
      }
    let reverse =
      mode == .forward
      ? nil
      : reverseColourings().map {
        SparsePlan(detected: detected, mode: .reverse, colourings: $0)
      }
    let candidates = [forward, reverse].compactMap { $0 }
    guard let plan = candidates.min(by: { $0.colours < $1.colours }) else {
      explainDense(detected.pattern, dense: dense)
      return nil
    }
    let pays = plan.colours * Self.decisiveRatio <= dense
    explainSparsity(plan, dense: dense, used: forced || pays)
    return forced || pays ? plan : nil
  }

  private func explainDense(_ p: SparsityPattern, dense: Int) {
    let (line, column) = range.file.location(of: range.start)
    tracer.explanations.append(
      "explain: \(name) at \(line):\(column), sparsity: \(p.nonZeros) non-zeros of "
        + "\(p.rows)×\(p.columns), rows or columns too full for colouring to need "
        + "\(Self.decisiveRatio)× fewer than \(dense) dense basis vectors: dense\n")
  }

  private func explainSparsity(_ plan: SparsePlan, dense: Int, used: Bool) {
    let p = plan.detected.pattern
    let kinds = Set(plan.colourings.map(\.kind.rawValue)).sorted().joined(separator: "/")
    let (line, column) = range.file.location(of: range.start)
    tracer.explanations.append(
      "explain: \(name) at \(line):\(column), sparsity: \(p.nonZeros) non-zeros of "
        + "\(p.rows)×\(p.columns), "
        + "\(plan.colours) colours (\(kinds) colouring, \(Self.modeName(plan.mode)) mode) "
        + "against \(dense) dense basis vectors: "
        + (used ? "compressed products used\n" : "dense, colouring does not pay\n"))
  }

  /// The blocks of the Jacobian computed by `plan`: `blocks[i][x]` for output leaf `i` and
  /// input leaf `x`, dense or (`sparseOutput`) sparse matrices.
  func sparseBlocks(_ tf: TracedFunction, _ plan: SparsePlan, sparseOutput: Bool)
    throws(Diagnostic) -> [[Int: Value]]
  {
    var blocks = Array(repeating: [Int: Value](), count: tf.outputTypes.count)
    let leaves = plan.detected.columnRanges.keys.sorted()
    switch plan.mode {
    case .forward:
      for (x, colouring) in zip(leaves, plan.colourings) {
        guard let cx = plan.detected.columnRanges[x] else { continue }
        var jvp = try JVP.transform(
          tf.graph, hasTangent: tf.graph.inputs.indices.map { $0 == x },
          options: session.buildOptions)
        let tangents = tf.graph.outputs.count
        jvp.outputs = Array(jvp.outputs[tangents..<(tangents + tf.outputTypes.count)])
        let compressed = try compressedProducts(
          jvp.prunedToOutputs(), tf.inputs, tf.inputType(x), colouring)
        for (i, ry) in plan.detected.rowRanges.enumerated() {
          let block = plan.detected.pattern.block(rows: ry, columns: cx)
          let m = ry.count
          let star = colouring.kind == .star
          let table = entries(block) { r, j in
            star && !colouring.isAlone(j, inRow: r, block)
              ? colouring.colours[r] * m + j : colouring.colours[j] * m + r
          }
          blocks[i][x] = try readOut(
            compressed[i], table, block, tf.outputTypes[i].shape + tf.inputType(x).shape,
            sparseOutput)
        }
      }
    case .reverse:
      for (i, (yType, colouring)) in zip(tf.outputTypes, plan.colourings).enumerated() {
        var vjp = try VJP.transform(
          tf.graph, wrt: tf.graph.inputs.indices.map(Set(leaves).contains),
          hasCotangent: tf.graph.outputs.indices.map { $0 == i }, options: session.buildOptions)
        vjp.outputs = Array(vjp.outputs.suffix(leaves.count))
        let compressed = try compressedProducts(vjp.prunedToOutputs(), tf.inputs, yType, colouring)
        for (x, cotangents) in zip(leaves, compressed) {
          guard let cx = plan.detected.columnRanges[x] else { continue }
          let block = plan.detected.pattern.block(rows: plan.detected.rowRanges[i], columns: cx)
          let n = cx.count
          let table = entries(block) { r, j in colouring.colours[r] * n + j }
          blocks[i][x] = try readOut(
            cotangents, table, block, yType.shape + tf.inputType(x).shape, sparseOutput)
        }
      }
    }
    return blocks
  }

  /// `g` (whose last input is a seed of `type`) batched over the colours' seeds: each output
  /// gains a leading axis of `colouring.count`.
  private func compressedProducts(
    _ g: Graph, _ inputs: [Traced], _ type: TensorType, _ colouring: Colouring
  ) throws(Diagnostic) -> [Traced] {
    let batchedInputs = g.inputs.indices.map { $0 == g.inputs.count - 1 }
    return try batched(g, batched: batchedInputs, size: colouring.count) {
      rows throws(Diagnostic) in inputs + [try seeds(type, colouring, rows: rows)]
    }.outputs
  }

  /// The seeds of colours `rows`, stacked: `[rows.count, *type.shape]`, seed `k` being 1 at
  /// the elements of colour `k` (computed when the graph runs, as ``basis(_:rows:)`` is).
  private func seeds(_ type: TensorType, _ colouring: Colouring, rows: Range<Int>)
    throws(Diagnostic) -> Traced
  {
    let n = type.count
    let shape = [rows.count, n]
    let colours = try tracer.constant(
      Tensor(shape: [n], values: colouring.colours.map(Double.init), dtype: type.dtype))
    let rowIndex = try tracer.constant(
      Tensor(shape: [rows.count], values: rows.map(Double.init), dtype: type.dtype))
    let seedColour = try tracer.emit(.broadcast(shape: shape, dims: [0]), [rowIndex], range)
    let elementColour = try tracer.emit(.broadcast(shape: shape, dims: [1]), [colours], range)
    let seed = try tracer.emit(.compare(.eq), [seedColour, elementColour], range)
    return try tracer.reshape(seed, [rows.count] + type.shape, range)
  }

  /// For each entry of `block` in order, where `position(row, column)` finds it in the
  /// compressed products.
  private func entries(_ block: SparsityPattern, _ position: (Int, Int) -> Int) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(block.nonZeros)
    for r in 0..<block.rows { for j in block[row: r] { out.append(position(r, j)) } }
    return out
  }

  /// The block's non-zeros gathered from `compressed` at `table`, as a sparse matrix or
  /// scattered into a dense block of `shape`.
  private func readOut(
    _ compressed: Traced, _ table: [Int], _ block: SparsityPattern, _ shape: [Int],
    _ sparseOutput: Bool
  ) throws(Diagnostic) -> Value {
    let flat = try tracer.reshape(compressed, [compressed.type.count], range)
    let values = try tracer.emit(.gather(ElementTable(table), shape: [table.count]), [flat], range)
    if sparseOutput { return .sparse(SparseMatrix(pattern: block, values: .traced(values))) }
    let columns = block.columns
    let places = entries(block) { r, j in r * columns + j }
    return .traced(
      try tracer.emit(.scatterAdd(ElementTable(places), shape: shape), [values], range))
  }
}
