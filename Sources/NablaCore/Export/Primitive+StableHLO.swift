extension Primitive {
  /// How the primitive is written in StableHLO: the one exhaustive switch of the exporter
  /// (as ``Primitive/rule`` is of evaluation), so a new primitive must say how it exports.
  ///
  /// Elementwise functions map to their StableHLO operation, or to the CHLO one JAX emits where
  /// StableHLO has none (XLA expands CHLO when it compiles); structural primitives, reductions
  /// and `dot_general` to XLA's own operations (``StableHLOOps``). Linear algebra calls
  /// LAPACK (`?getrf`, `?syevd`, `?gesdd`, `?geqrf`, `?orgqr`) through the custom calls JAX's
  /// CPU runtime registers, and `cholesky` is `stablehlo.cholesky`; sorting is `stablehlo.sort`,
  /// `stablehlo.reduce`, `gather` and `scatter`. The calls of functions with custom derivatives
  /// are refused.
  var stableHLO: StableHLOLowering {
    switch self {
    case .neg: .unary("stablehlo.negate")
    case .exp: .unary("stablehlo.exponential")
    case .log: .unary("stablehlo.log")
    case .sin: .unary("stablehlo.sine")
    case .cos: .unary("stablehlo.cosine")
    case .tan: .unary("stablehlo.tan")
    case .asin: .chloUnary("chlo.asin")
    case .acos: .chloUnary("chlo.acos")
    case .atan: .chloUnary("chlo.atan")
    case .sinh: .chloUnary("chlo.sinh")
    case .cosh: .chloUnary("chlo.cosh")
    case .tanh: .unary("stablehlo.tanh")
    case .asinh: .chloUnary("chlo.asinh")
    case .acosh: .chloUnary("chlo.acosh")
    case .atanh: .chloUnary("chlo.atanh")
    case .expm1: .unary("stablehlo.exponential_minus_one")
    case .log1p: .unary("stablehlo.log_plus_one")
    case .sqrt: .unary("stablehlo.sqrt")
    case .rsqrt: .unary("stablehlo.rsqrt")
    case .cbrt: .unary("stablehlo.cbrt")
    case .abs: .unary("stablehlo.abs")
    case .sign: .unary("stablehlo.sign")
    case .floor: .unary("stablehlo.floor")
    case .ceil: .unary("stablehlo.ceil")
    case .round: .unary("stablehlo.round_nearest_even")
    case .erf: .chloUnary("chlo.erf")
    case .logistic: .unary("stablehlo.logistic")
    case .softplus: .written(StableHLOOps.softplus)
    case .erfc: .chloUnary("chlo.erfc")
    case .erfinv: .chloUnary("chlo.erf_inv")
    case .lgamma: .chloUnary("chlo.lgamma")
    case .polygamma(let order): .written(StableHLOOps.polygamma(order))
    case .stopGradient: .written { _, x, _ in x[0].name }
    case .add: .binary("stablehlo.add")
    case .sub: .binary("stablehlo.subtract")
    case .mul: .binary("stablehlo.multiply")
    case .div: .binary("stablehlo.divide")
    case .pow: .binary("stablehlo.power")
    case .atan2: .binary("stablehlo.atan2")
    case .max: .binary("stablehlo.maximum")
    case .min: .binary("stablehlo.minimum")
    case .compare(let c): .written(StableHLOOps.compare(c))
    case .select: .written(StableHLOOps.select)
    case .convert: .written(StableHLOOps.convert)
    case .broadcast(_, let dims): .written(StableHLOOps.broadcast(dims))
    case .reshape: .written(StableHLOOps.reshape)
    case .transpose(let permutation): .written(StableHLOOps.transpose(permutation))
    case .slice(let start, let limit, let stride):
      .written(StableHLOOps.slice(start, limit, stride))
    case .pad(let low, let high, let interior): .written(StableHLOOps.pad(low, high, interior))
    case .reverse(let axes): .written(StableHLOOps.reverse(axes))
    case .concatenate(let axis): .written(StableHLOOps.concatenate(axis))
    case .gather(let table, _): .written(StableHLOOps.gather(table))
    case .scatterAdd(let table, _): .written(StableHLOOps.scatterAdd(table))
    case .reduceSum(let axes): .written(StableHLOOps.reduce("stablehlo.add", 0, axes))
    case .reduceMax(let axes): .written(StableHLOOps.reduce("stablehlo.maximum", -.infinity, axes))
    case .reduceMin(let axes): .written(StableHLOOps.reduce("stablehlo.minimum", .infinity, axes))
    case .reduceProd(let axes): .written(StableHLOOps.reduce("stablehlo.multiply", 1, axes))
    case .dotGeneral(let d): .written(StableHLOOps.dotGeneral(d))
    case .inverse: .written(StableHLOOps.inverse)
    case .determinant: .written(StableHLOOps.determinant)
    case .solve: .written(StableHLOOps.solve)
    case .cholesky: .written(StableHLOOps.cholesky)
    case .adjugate: .written(StableHLOOps.adjugate)
    case .eigh(let output): .written(StableHLOOps.eigh(output))
    case .qr(let output): .written(StableHLOOps.qr(output))
    case .svd(let output): .written(StableHLOOps.svd(output))
    case .pseudoInverse: .written(StableHLOOps.pseudoInverse)
    case .argsort(let axis, let descending):
      .written(StableHLOOps.argsort(axis: axis, descending: descending))
    case .argReduce(let axis, let largest):
      .written(StableHLOOps.argReduce(axis: axis, largest: largest))
    case .takeAlongAxis(let axis): .written(StableHLOOps.takeAlongAxis(axis: axis))
    case .scatterAddAlongAxis(let axis, _): .written(StableHLOOps.scatterAddAlongAxis(axis: axis))
    case .customJVP, .customVJP, .customVJPTangent:
      .refused("a custom derivative's call holds graphs of its own, which are not exported")
    }
  }
}
