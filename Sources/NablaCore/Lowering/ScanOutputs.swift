/// The `y`s of a `scan`'s steps, by item, stacked along a new leading axis once the loop is
/// done. Every step's `y` must have the first one's structure, shapes and dtypes.
struct ScanOutputs {
  private var structure: TreeStructure?
  private var types: [TensorType] = []
  /// Per item (in the order of `xs`), the leaves of its `y`.
  private var byItem: [[Traced]]

  init(count: Int) { byItem = Array(repeating: [], count: count) }

  /// Records the `y` of item `k` (`nil`: a `y` traced only for its type).
  mutating func record(
    _ y: Value, at k: Int?, iteration: Int, _ tracer: Tracer, _ range: SourceRange,
    function: String
  ) throws(Diagnostic) {
    let tree = Pytree(y, numbersAreLeaves: true)
    var leaves: [Traced] = []
    for leaf in tree.leaves {
      leaves.append(try tracer.asTraced(leaf, range, context: "'\(function)' output y"))
    }
    let leafTypes = leaves.map(\.type)
    if let structure {
      guard tree.structure == structure, leafTypes == types else {
        throw Diagnostic(
          .invalidArgument(
            function,
            "the output y changed in iteration \(iteration): it was \(structure.described(with: types)) "
              + "and is now \(tree.structure.described(with: leafTypes))",
            help: "every step must return a y of the same structure, shapes and dtypes"),
          at: range)
      }
    } else {
      try tree.structure.requireTensors(
        "'\(function)' output y", expected: "tensors, tuples of tensors or None", at: range)
      structure = tree.structure
      types = leafTypes
    }
    if let k { byItem[k] = leaves }
  }

  /// The `y`s stacked along a new leading axis, with the structure of one `y`.
  func stacked(_ tracer: Tracer, _ range: SourceRange) throws(Diagnostic) -> Value {
    guard let structure else { return .none }
    var leaves: [Value] = []
    for (position, type) in types.enumerated() {
      if byItem.isEmpty {
        let empty = type.with(shape: [0] + type.shape)
        leaves.append(.traced(tracer.traced(try tracer.builder.zeros(empty))))
      } else {
        leaves.append(.traced(try tracer.stack(byItem.map { $0[position] }, axis: 0, range)))
      }
    }
    return structure.unflatten(leaves)
  }
}
