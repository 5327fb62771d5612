@testable import NablaCore

/// One sample input set per primitive (JAX's `LAX_GRAD_OPS`, PyTorch's `op_db`). Every
/// per-primitive check runs over this table; ``PrimitiveRuleTests/tableCoversEveryPrimitive()``
/// fails when a primitive has no sample.
struct OpSample: Sendable, CustomStringConvertible {
  let primitive: Primitive
  let inputs: [[Int]]
  /// Where operands are drawn from: `log` and `sqrt` need positive input, `asin` |x| < 1.
  var domain: ClosedRange<Double> = -2...2
  /// The dtypes its operands may have: all, except for a call of a function with custom
  /// rules, whose graphs are traced for one dtype.
  var dtypes: [DType] = DType.allCases
  /// Operands that hold positions along an axis (`take_along_axis`'s second): operand index
  /// to the axis's size; they are drawn as whole numbers from −size to size − 1.
  var positions: [Int: Int] = [:]

  init(
    _ primitive: Primitive, _ inputs: [[Int]], domain: ClosedRange<Double> = -2...2,
    dtypes: [DType] = DType.allCases, positions: [Int: Int] = [:]
  ) {
    self.primitive = primitive
    self.inputs = inputs
    self.domain = domain
    self.dtypes = dtypes
    self.positions = positions
  }

  var description: String { "\(primitive.kind.rawValue)\(primitive.parameterText) \(inputs)" }

  /// Whether its derivative rules compute the derivative of its values in both modes: all but
  /// `stop_gradient`, whose derivative is zero by definition (tested on its own), and a
  /// `custom_vjp` call and its tangent, which refuse forward mode (tested on their own).
  var isDifferentiable: Bool {
    ![.stopGradient, .customVJP, .customVJPTangent].contains(primitive.kind)
  }
}

enum OpTable {
  static let positive = 0.1...3.0
  static let unit = -0.9...0.9

  static let samples: [OpSample] =
    [
      .init(.neg, [[3, 4]]), .init(.exp, [[3, 4]]), .init(.log, [[5]], domain: positive),
      .init(.sin, [[3, 4]]), .init(.cos, [[3, 4]]), .init(.tan, [[5]], domain: -1.2...1.2),
      .init(.asin, [[5]], domain: unit), .init(.acos, [[5]], domain: unit), .init(.atan, [[5]]),
      .init(.sinh, [[5]]), .init(.cosh, [[5]]), .init(.tanh, [[3, 4]]), .init(.asinh, [[5]]),
      .init(.acosh, [[5]], domain: 1.1...3), .init(.atanh, [[5]], domain: unit),
      .init(.expm1, [[5]]),
      .init(.log1p, [[5]], domain: -0.9...3), .init(.sqrt, [[5]], domain: positive),
      .init(.rsqrt, [[5]], domain: positive), .init(.cbrt, [[5]], domain: positive),
      .init(.abs, [[5]]),
      .init(.sign, [[5]]), .init(.floor, [[5]]), .init(.ceil, [[5]]), .init(.round, [[5]]),
      .init(.erf, [[5]]), .init(.erfc, [[5]]), .init(.erfinv, [[5]], domain: unit),
      .init(.lgamma, [[5]], domain: positive), .init(.polygamma(order: 0), [[5]], domain: positive),
      .init(.polygamma(order: 2), [[5]], domain: positive),
      .init(.logistic, [[5]]), .init(.softplus, [[5]]), .init(.stopGradient, [[5]]),
      .init(.add, [[3, 4], [3, 4]]), .init(.sub, [[3, 4], [3, 4]]),
      .init(.mul, [[3, 4], [3, 4]]),
      .init(.div, [[3, 4], [3, 4]], domain: positive), .init(.pow, [[5], [5]], domain: positive),
      .init(.atan2, [[5], [5]]), .init(.max, [[5], [5]]), .init(.min, [[5], [5]]),
      .init(.compare(.lt), [[5], [5]]), .init(.select, [[5], [5], [5]]),
      // float64 → float64: the derivative checks run in float64, where rounding to float32
      // would swamp the finite differences (convert to float32 is covered by the shape checks).
      .init(.convert(.f64), [[5]]),
      .init(.broadcast(shape: [2, 3, 4], dims: [1, 2]), [[3, 1]]),
      .init(.reshape(shape: [4, 3]), [[3, 4]]),
      .init(.transpose(permutation: [2, 0, 1]), [[2, 3, 4]]),
      .init(.slice(start: [0, 1], limit: [3, 4], stride: [2, 2]), [[3, 4]]),
      .init(.pad(low: [1, 0], high: [0, 2], interior: [1, 0]), [[2, 3]]),
      .init(.reverse(axes: [1]), [[3, 4]]),
      .init(.concatenate(axis: 1), [[2, 3], [2, 1]]),
      // positions repeated and empty (−1): a gather that copies and a scatter that sums
      .init(.gather(ElementTable([5, 0, -1, 2, 2, 11, 7, -1]), shape: [2, 4]), [[3, 4]]),
      .init(.scatterAdd(ElementTable([1, 1, -1, 4, 0, 5]), shape: [2, 3]), [[6]]),
      .init(.reduceSum(axes: [1]), [[2, 3, 4]]), .init(.reduceMax(axes: [0, 2]), [[2, 3, 4]]),
      .init(.reduceMin(axes: [0]), [[3, 4]]), .init(.reduceProd(axes: [1]), [[3, 4]]),
      .init(.argsort(axis: 1, descending: false), [[3, 4]]),
      .init(.argsort(axis: 0, descending: true), [[3, 4]]),
      .init(.argReduce(axis: 1, largest: true), [[3, 4]]),
      .init(.argReduce(axis: 0, largest: false), [[3, 4]]),
      // more positions than elements along the axis: some read twice, negative ones too
      .init(.takeAlongAxis(axis: 1), [[3, 4], [3, 5]], positions: [1: 4]),
      .init(.takeAlongAxis(axis: 0), [[3, 2], [2, 2]], positions: [1: 3]),
      .init(.scatterAddAlongAxis(axis: 1, size: 3), [[2, 5], [2, 5]], positions: [1: 3]),
      .init(.dotGeneral(.matmul(rank: 3)), [[2, 3, 4], [2, 4, 5]]),
      .init(
        .dotGeneral(
          .init(lhsBatch: [0], rhsBatch: [0], lhsContract: [3, 1], rhsContract: [1, 2])),
        [[2, 3, 4, 5], [2, 5, 3, 6]]),
      .init(
        .dotGeneral(.init(lhsBatch: [], rhsBatch: [], lhsContract: [0], rhsContract: [1])),
        [[4], [3, 4]]),
      .init(
        .dotGeneral(.init(lhsBatch: [1], rhsBatch: [0], lhsContract: [], rhsContract: [])),
        [[3, 2], [2, 4]]),
      .init(.inverse, [[2, 3, 3]]),
      .init(.determinant, [[3, 3]]),
      .init(.solve, [[3, 3], [3, 2]]),
      .init(.adjugate, [[2, 3, 3]]), .init(.adjugate, [[2, 2]]),
      // symmetric parts made positive definite by diagonal dominance
      .init(.cholesky, [[2, 3, 3]], domain: unit),
      // symmetric parts with eigenvalues −3.0, −0.4, 0.9 and −1.0, 0.7, 1.7 (NumPy): distinct
      .init(.eigh(.values), [[2, 3, 3]]), .init(.eigh(.vectors), [[2, 3, 3]]),
      .init(.qr(.q), [[4, 3]]), .init(.qr(.r), [[4, 3]]),
      .init(.qr(.q), [[2, 3, 5]]), .init(.qr(.r), [[2, 3, 5]]),
      // singular values 3.6, 1.5, 0.4 (tall) and 3.3, 1.9, 0.9 (wide) (NumPy): distinct, not zero
      .init(.svd(.u), [[4, 3]]), .init(.svd(.s), [[4, 3]]), .init(.svd(.vh), [[4, 3]]),
      .init(.svd(.u), [[3, 4]]), .init(.svd(.s), [[3, 4]]), .init(.svd(.vh), [[3, 4]]),
      .init(.pseudoInverse, [[4, 3]]), .init(.pseudoInverse, [[2, 3, 4]]),
    ] + CustomCallSamples.samples

  /// The linear-algebra primitives, whose uniform results are left to constant folding.
  static let linearAlgebra: Set<Primitive.Kind> = [
    .inverse, .determinant, .solve, .adjugate, .cholesky, .eigh, .qr, .svd, .pseudoInverse,
  ]
  /// Those whose square operands are made diagonally dominant (so inverses exist, and
  /// symmetric parts are positive definite).
  static let diagonallyDominant: Set<Primitive.Kind> = [
    .inverse, .determinant, .solve, .adjugate, .cholesky,
  ]

  /// Deterministic operands for a sample (a fixed linear congruential sequence), with square
  /// matrices made diagonally dominant so inverses exist.
  static func operands(_ s: OpSample, _ dtype: DType) -> [Tensor] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return s.inputs.enumerated().map { operand, shape in
      let n = shape.reduce(1, *)
      var values = (0..<n).map { _ -> Double in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let u = Double(state >> 11) / Double(1 << 53)
        if let size = s.positions[operand] {
          return (u * Double(2 * size)).rounded(.down) - Double(size)
        }
        return s.domain.lowerBound + u * (s.domain.upperBound - s.domain.lowerBound)
      }
      if diagonallyDominant.contains(s.primitive.kind), shape.count >= 2,
        shape[shape.count - 1] == shape[shape.count - 2]
      {
        let m = shape[shape.count - 1]
        for b in 0..<(n / (m * m)) {
          for i in 0..<m { values[b * m * m + i * m + i] += Double(m) * 2 }
        }
      }
      return Tensor(shape: shape, values: values, dtype: dtype)
    }
  }
}
