/// How a value with every element equal (a zero cotangent, a tensor of ones, a broadcast
/// constant) propagates, primitive by primitive: elementwise functions of such values are such
/// values; rearranging, slicing, reversing or concatenating them keeps the value; padding keeps
/// a zero; reductions and contractions of them are known numbers (`Σ` of `n` copies of `u` is
/// `n·u`, to rounding); a selection by a uniform condition is the operand it picks. Linear
/// algebra is left to constant folding. The optimiser emits a known-uniform result as one
/// broadcast number.

extension ElementwiseUnaryRule {
  /// `f(u)`.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    values[0].map { output.dtype.rounded(apply($0)) }
  }
}

extension ElementwiseBinaryRule {
  /// `f(u, w)`.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let a = values[0], let b = values[1] else { return nil }
    return output.dtype.rounded(apply(a, b))
  }
}

extension LinearUnaryRule {
  /// Broadcasts, reshapes, transposes, slices and reversals move elements: `u` stays.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    output.count == 0 ? nil : values[0]
  }
}

extension Convert {
  /// `u` rounded to the new dtype.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    values[0].map { output.dtype.rounded($0) }
  }
}

extension Pad {
  /// Zero padding of zeros is zeros; of anything else, only when nothing is added.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], output.count > 0 else { return nil }
    return u == 0 || output.count == inputs[0].count ? u : nil
  }
}

extension ReduceSum {
  /// `n · u` for `n` elements summed into each.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], output.count > 0, inputs[0].count > 0 else { return nil }
    return output.dtype.rounded(u * Double(inputs[0].count / output.count))
  }
}

extension ReductionRule {
  /// `u` for a maximum or minimum, `uⁿ` for a product of `n` elements.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], output.count > 0, inputs[0].count > 0 else { return nil }
    let n = inputs[0].count / output.count
    switch Self.kind {
    case .max, .min: return u
    case .prod: return output.dtype.rounded(Double.pow(u, n))  // an integer power: u < 0 too
    case .sum: return nil  // ReduceSum's own rule
    }
  }
}

extension Concatenate {
  /// Pieces of one value are that value.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values.first ?? nil, values.allSatisfy({ $0 == u }) else { return nil }
    return u
  }
}

extension Select {
  /// `select(c, a, b)` with `c` one value is `a` or `b`; with `a` and `b` one value, that value.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    if let c = values[0] { return c != 0 ? values[1] : values[2] }
    guard let a = values[1], a == values[2] else { return nil }
    return a
  }
}

extension DotGeneral {
  /// `k · u · w` for `k` products summed into each element.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let a = values[0], let b = values[1], output.count > 0 else { return nil }
    let k = dimensions.lhsContract.reduce(1) { $0 * inputs[0].shape[$1] }
    return output.dtype.rounded(Double(k) * a * b)
  }
}

extension Gather {
  /// The gathered value `u`; also where the table reads nothing, when `u` is 0.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    guard let u = values[0], output.count > 0, u == 0 || !table.hasEmpty else { return nil }
    return u
  }
}

extension ScatterAdd {
  /// Sums of zeros are zero.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    values[0] == 0 ? 0 : nil
  }
}

extension Inverse {
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    nil
  }
}

extension Determinant {
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    nil
  }
}

extension Solve {
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    nil
  }
}

extension MatrixFunctionRule {
  /// Left to constant folding, as `inverse` is.
  public func uniform(_ values: [Double?], _ inputs: [TensorType], output: TensorType) -> Double? {
    nil
  }
}

extension DType {
  /// `x` as this dtype holds it.
  func rounded(_ x: Double) -> Double { self == .f32 ? Double(Float(x)) : x }
}
