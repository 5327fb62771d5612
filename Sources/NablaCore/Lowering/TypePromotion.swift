/// PyTorch's type promotion (`torch.result_type`) over nabla's element kinds and float dtypes.
///
/// Operands fall into three groups, in priority order: tensors with at least one axis, 0-d
/// tensors, and weak scalars (Python numbers: literals, integers, `True`). Each group promotes
/// within itself: the highest kind (bool < int64 < float), and float64 over float32 (weak floats
/// are of the default dtype). A lower
/// group counts only where its kind is higher than the groups above it, so `arange(3) + 2.5`
/// is float, `arange(3) + 2` stays int64, and a float32 vector plus a float64 0-d tensor stays
/// float32.
enum TypePromotion {
  /// A kind and the float dtype that holds it (float64 for integers).
  struct Result: Equatable {
    var kind: ElementKind
    var dtype: DType
  }

  static func result(of xs: [Traced], defaultDType: DType) -> (ElementKind, DType) {
    let dimensioned = group(xs.filter { !$0.isWeak && $0.type.rank > 0 })
    let zeroDimensional = group(xs.filter { !$0.isWeak && $0.type.rank == 0 })
    var weak = group(xs.filter(\.isWeak))
    if weak?.kind == .float { weak?.dtype = defaultDType }  // a Python float
    let r =
      combine(dimensioned, combine(zeroDimensional, weak))
      ?? Result(kind: .float, dtype: defaultDType)
    return (r.kind, r.kind == .integer ? .f64 : r.dtype)
  }

  /// One group's kind and dtype: the highest kind, and the widest dtype among its members of
  /// that kind.
  static func group(_ members: [Traced]) -> Result? {
    guard let kind = members.map(\.kind).max() else { return nil }
    let dtype = members.filter { $0.kind == kind }.map(\.type.dtype).reduce(DType.f32) {
      DType.promoted($0, $1)
    }
    return Result(kind: kind, dtype: dtype)
  }

  /// A higher-priority group's result, unless the lower one's kind is higher.
  static func combine(_ higher: Result?, _ lower: Result?) -> Result? {
    guard let higher else { return lower }
    guard let lower, lower.kind > higher.kind else { return higher }
    return lower
  }
}
