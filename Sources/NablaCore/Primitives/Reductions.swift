/// `Σ` over `axes`.
struct ReduceSum: ReductionRule {
  static let name = "reduce_sum"
  static let kind = ReductionKind.sum
  let axes: [Int]
}

/// The maximum over `axes` (−∞ for an empty reduction; NaN if any element is NaN).
struct ReduceMax: ReductionRule {
  static let name = "reduce_max"
  static let kind = ReductionKind.max
  let axes: [Int]
}

/// The minimum over `axes` (+∞ for an empty reduction; NaN if any element is NaN).
struct ReduceMin: ReductionRule {
  static let name = "reduce_min"
  static let kind = ReductionKind.min
  let axes: [Int]
}

/// `Π` over `axes`.
struct ReduceProd: ReductionRule {
  static let name = "reduce_prod"
  static let kind = ReductionKind.prod
  let axes: [Int]
}
