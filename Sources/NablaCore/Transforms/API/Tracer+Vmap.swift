/// `vmap(f, in_dims, out_dims)`: `f` applied along an axis of its arguments, as one batched
/// graph rather than a loop.
extension Tracer {
  func vmap(
    _ f: Function, _ args: [(Value, SourceRange)], inDims: Value, outDims: Value, _ r: SourceRange
  ) throws(Diagnostic) -> Value {
    // One axis (or None) per argument leaf.
    var perArgument: [Value]
    if case .tuple(let items) = inDims {
      guard items.count == args.count else {
        throw Diagnostic(
          .invalidArgument(
            "vmap",
            "in_dims has \(items.count) entries for \(args.count) argument\(args.count == 1 ? "" : "s")"
          ), at: r)
      }
      perArgument = items
    } else {
      perArgument = Array(repeating: inDims, count: args.count)
    }
    var axes: [Int?] = []
    for ((v, range), spec) in zip(args, perArgument) {
      axes += try leafAxes(v, spec, range)
    }
    var leaves: [Traced] = []
    for (v, range) in args {
      for leaf in v.tensorLeaves {
        leaves.append(try asTraced(leaf, range, context: "a vmapped argument"))
      }
    }
    var size: Int?
    var sizes: [Int] = []
    var moved: [Traced] = []
    var innerTypes: [TensorType] = []
    for (x, axis) in zip(leaves, axes) {
      guard let axis else {
        moved.append(x)
        innerTypes.append(x.type)
        continue
      }
      let a = try self.axis(axis, rank: x.type.rank, r)
      sizes.append(x.type.shape[a])
      if size == nil { size = x.type.shape[a] }
      var perm = Array(0..<x.type.rank)
      perm.remove(at: a)
      moved.append(try transposed(x, [a] + perm, r))
      var shape = x.type.shape
      shape.remove(at: a)
      innerTypes.append(x.type.with(shape: shape))
    }
    guard let size else { throw Diagnostic(.noBatchedArgument(), at: r) }
    guard sizes.allSatisfy({ $0 == size }) else {
      throw Diagnostic(.batchSizeMismatch(sizes), at: r)
    }

    let tf = try traceFunction(f, args, leafTypes: innerTypes, callRange: r)
    let batchedInputs = axes.map { $0 != nil } + Array(repeating: false, count: tf.captures.count)
    let outs = try batchedInSlices(tf.graph, batched: batchedInputs, size: size, r) {
      rows throws(Diagnostic) in
      var sliced: [Traced] = []
      for (x, axis) in zip(moved, axes) {
        sliced.append(axis == nil ? x : try leadingSlice(x, rows, r))
      }
      return sliced + tf.captures
    }

    // Move the batch axis of each output to its out_dims position.
    let outSpecs: [Value]
    if case .tuple(let items) = outDims {
      guard items.count == outs.count else {
        throw Diagnostic(
          .invalidArgument("vmap", "out_dims has \(items.count) entries for \(outs.count) outputs"),
          at: r)
      }
      outSpecs = items
    } else {
      outSpecs = Array(repeating: outDims, count: outs.count)
    }
    var placed: [Traced] = []
    for (y, spec) in zip(outs, outSpecs) {
      let d = try staticInt(spec, r, context: "vmap's out_dims")
      let target = try axis(d, rank: y.type.rank, r)
      var perm = Array(1..<y.type.rank)
      perm.insert(0, at: target)
      placed.append(try transposed(y, perm, r))
    }
    return rebuild(tf.output, placed[...])
  }

  /// The mapped axis of each tensor leaf of an argument, from its `in_dims` entry.
  private func leafAxes(_ v: Value, _ spec: Value, _ r: SourceRange) throws(Diagnostic) -> [Int?] {
    switch (v, spec) {
    case (_, .none): return Array(repeating: nil, count: v.tensorLeaves.count)
    case (.tuple(let items), .tuple(let specs)):
      guard items.count == specs.count else {
        throw Diagnostic(
          .invalidArgument("vmap", "in_dims does not match the structure of an argument"), at: r)
      }
      var out: [Int?] = []
      for (item, s) in zip(items, specs) { out += try leafAxes(item, s, r) }
      return out
    default:
      let a = try staticInt(spec, r, context: "vmap's in_dims")
      return Array(repeating: a, count: v.tensorLeaves.count)
    }
  }
}
