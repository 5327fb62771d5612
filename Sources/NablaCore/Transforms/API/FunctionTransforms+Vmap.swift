/// `vmap(f, in_dims, out_dims)`: `f` applied along an axis of its arguments, as one batched
/// graph rather than a loop.
///
/// `in_dims` and `out_dims` are prefixes of the arguments' and the result's structures (JAX's
/// `in_axes`/`out_axes`): an integer or `None` applies to every leaf below it, a tuple matches
/// a tuple. `None` in `in_dims` leaves an argument unmapped; `None` in `out_dims` returns an
/// output without a batch axis, which it must not depend on.
extension FunctionTransforms {
  func vmap(
    _ f: Function, _ arguments: [(Value, SourceRange)], inDims: Value, outDims: Value,
    randomness: Randomness = .error
  ) throws(Diagnostic) -> Value {
    let perArgument: [Value]
    if case .tuple(let items) = inDims {
      guard items.count == arguments.count else {
        let plural = arguments.count == 1 ? "" : "s"
        throw Diagnostic(
          .invalidArgument(
            name, "in_dims has \(items.count) entries for \(arguments.count) argument\(plural)",
            help: "give one entry per argument, or one integer or None for all of them"),
          at: range)
      }
      perArgument = items
    } else {
      perArgument = Array(repeating: inDims, count: arguments.count)
    }
    var leaves: [Traced] = []
    var axes: [Int?] = []
    for ((v, r), spec) in zip(arguments, perArgument) {
      let tree = Pytree(v)
      axes += try self.axes(spec, for: tree.structure, "in_dims")
      for leaf in tree.leaves { leaves.append(try tracer.asTraced(leaf, r, context: "'vmap'")) }
    }

    var size: Int?
    var sizes: [Int] = []
    var moved: [Traced] = []
    var itemTypes: [TensorType] = []
    for (x, axis) in zip(leaves, axes) {
      guard let axis else {
        moved.append(x)
        itemTypes.append(x.type)
        continue
      }
      let a = try tracer.axis(axis, rank: x.type.rank, range)
      sizes.append(x.type.shape[a])
      if size == nil { size = x.type.shape[a] }
      var permutation = Array(0..<x.type.rank)
      permutation.remove(at: a)
      moved.append(try tracer.transposed(x, [a] + permutation, range))
      var shape = x.type.shape
      shape.remove(at: a)
      itemTypes.append(x.type.with(shape: shape))
    }
    guard let size else { throw Diagnostic(.noBatchedArgument(), at: range) }
    guard sizes.allSatisfy({ $0 == size }) else {
      throw Diagnostic(.batchSizeMismatch(sizes), at: range)
    }

    let tf = try trace(
      f, arguments, hasAux: false, leafTypes: itemTypes,
      randomness: Tracer.VmapRandomness(mode: randomness, size: size))
    let outAxes = try self.axes(outDims, for: tf.output, "out_dims")
    let batchedInputs =
      axes.map { $0 != nil } + tf.captures.indices.map(tf.batchedCaptures.contains)
    let (outputs, isBatched) = try batched(
      tf.graph, batched: batchedInputs, size: size, broadcastsOutputs: false
    ) { rows throws(Diagnostic) in
      var sliced: [Traced] = []
      for (x, axis) in zip(moved, axes) {
        sliced.append(axis == nil ? x : try leadingSlice(x, rows))
      }
      for (k, capture) in tf.captures.enumerated() {
        sliced.append(tf.batchedCaptures.contains(k) ? try leadingSlice(capture, rows) : capture)
      }
      return sliced
    }

    // the batch axis of each output goes where out_dims says
    var placed: [Value] = []
    for (k, (y, axis)) in zip(outputs, outAxes).enumerated() {
      guard let axis else {
        guard !isBatched[k] else { throw Diagnostic(.outDimsNoneForBatchedOutput(k), at: range) }
        placed.append(.traced(tf.withKind(y, output: k)))
        continue
      }
      let withBatch = isBatched[k] ? y : try broadcastBatch(y, size)
      let target = try tracer.axis(axis, rank: withBatch.type.rank, range)
      var permutation = Array(1..<withBatch.type.rank)
      permutation.insert(0, at: target)
      placed.append(
        .traced(tf.withKind(try tracer.transposed(withBatch, permutation, range), output: k)))
    }
    return tf.output.unflatten(placed)
  }

  /// `y` with a leading batch axis of `size` (an output the same for every item).
  private func broadcastBatch(_ y: Traced, _ size: Int) throws(Diagnostic) -> Traced {
    let shape = [size] + y.type.shape
    return try tracer.emit(.broadcast(shape: shape, dims: Array(1..<shape.count)), [y], range)
  }

  /// The axis (or `None`) of each leaf of `structure`, from `spec`, a prefix of it: an integer
  /// or `None` for every leaf below, a tuple for a tuple of as many entries.
  private func axes(_ spec: Value, for structure: TreeStructure, _ what: String)
    throws(Diagnostic) -> [Int?]
  {
    switch (spec, structure) {
    case (.none, _):
      return Array(repeating: nil, count: structure.leafCount)
    case (.tuple(let specs), .tuple(let items)):
      guard specs.count == items.count else {
        throw Diagnostic(
          .invalidArgument(
            name,
            "\(what) has a tuple of \(specs.count) where the value has a tuple of \(items.count)",
            help: "\(what) matches the nesting of tuples, or gives one axis for everything below"),
          at: range)
      }
      var out: [Int?] = []
      for (s, item) in zip(specs, items) { out += try axes(s, for: item, what) }
      return out
    case (.tuple, .leaf):
      throw Diagnostic(
        .invalidArgument(
          name, "\(what) has a tuple where the value has a tensor",
          help: "give one integer or None for a tensor"),
        at: range)
    case (.tuple, .constant):
      return []  // a value kept as it is has nothing to map
    default:
      let a = try tracer.staticInt(spec, range, context: "'vmap' \(what)")
      return Array(repeating: a, count: structure.leafCount)
    }
  }
}
