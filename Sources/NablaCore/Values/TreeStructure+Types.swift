/// A structure read with the types of its leaves, for messages about values that do not fit.
extension TreeStructure {
  /// `(f32[3], (f32[], None))`: the structure with each leaf's type in its place.
  func described(with types: [TensorType]) -> String {
    var rest = types[...]
    return described(&rest)
  }

  private func described(_ types: inout ArraySlice<TensorType>) -> String {
    switch self {
    case .leaf: return types.popFirst()?.description ?? "*"
    case .constant: return description
    case .tuple(let items):
      let parts = items.map { $0.described(&types) }
      return "(" + parts.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    }
  }

  /// Refuses a structure that keeps values other than `None` (a loop's carry, `xs` and `y`
  /// hold tensors): the error names `context` and what it expects.
  func requireTensors(_ context: String, expected: String, at range: SourceRange)
    throws(Diagnostic)
  {
    if let constant = constants.first {
      throw Diagnostic(
        .wrongType(context, expected: expected, got: constant.typeDescription), at: range)
    }
  }
}
