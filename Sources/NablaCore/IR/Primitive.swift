/// The IR's vocabulary: every operation a graph can contain.
///
/// Closed on purpose: ``Primitive/rule`` is the one exhaustive switch, so adding a case fails the
/// build until the primitive has a rule. Array operands are positional (the equation's inputs);
/// static metadata (axes, shapes) are associated values, as JAX passes params by keyword.
/// Binary elementwise primitives take operands of equal shape; broadcasting is made explicit
/// with ``broadcast(shape:dims:)`` when lowering, so every rule sees simple shapes.
public enum Primitive: Hashable, Sendable {
  // MARK: Elementwise, one operand
  case neg, exp, log, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh
  case expm1, log1p, sqrt, rsqrt, cbrt, abs, sign, floor, ceil, round, erf, logistic
  case erfc, erfinv, lgamma
  /// `log(1 + eˣ)`, whose derivative is `logistic`.
  case softplus
  /// `ψ⁽ⁿ⁾(x)`, the `order`-th derivative of the digamma function `ψ = (log Γ)′`.
  case polygamma(order: Int)
  /// The identity, whose derivative is zero (JAX's `stop_gradient`).
  case stopGradient

  // MARK: Elementwise, two operands of equal shape
  case add, sub, mul, div, pow, atan2, max, min
  /// 1 where the comparison holds, else 0, in the operands' dtype.
  case compare(Comparison)
  /// `select(c, a, b)`: `a` where `c` is non-zero, else `b`.
  case select

  // MARK: Structural
  case convert(DType)
  /// Broadcasts the operand into `shape`; operand axis `i` becomes output axis `dims[i]`
  /// (XLA's `broadcast_in_dim`). Operand sizes must equal the output's or be 1.
  case broadcast(shape: [Int], dims: [Int])
  case reshape(shape: [Int])
  /// Output axis `i` is operand axis `permutation[i]`.
  case transpose(permutation: [Int])
  /// Elements `start[i]`, `start[i] + stride[i]`, … below `limit[i]` of each axis.
  case slice(start: [Int], limit: [Int], stride: [Int])
  /// Zero padding: `low`/`high` elements before/after, `interior` between (the transpose of slice).
  case pad(low: [Int], high: [Int], interior: [Int])
  /// Reverses the listed axes.
  case reverse(axes: [Int])
  case concatenate(axis: Int)
  /// `out[i] = x[table[i]]` over flat positions, 0 where the table says −1; the output has
  /// `shape` (a Jacobian's elements read from its compressed products).
  case gather(ElementTable, shape: [Int])
  /// `out[table[i]] += x[i]` into zeros of `shape` (the transpose of gather).
  case scatterAdd(ElementTable, shape: [Int])

  // MARK: Reductions (the listed axes are removed)
  case reduceSum(axes: [Int])
  case reduceMax(axes: [Int])
  case reduceMin(axes: [Int])
  case reduceProd(axes: [Int])

  // MARK: Sorting and positions along one axis (positions are whole float64 numbers)
  /// The positions that sort each lane along `axis` (ascending, or descending), stable, NaN
  /// the largest: a float64 tensor of the operand's shape.
  case argsort(axis: Int, descending: Bool)
  /// The position of each lane's largest (`largest`) or smallest element along `axis`, which
  /// is removed: the first of equal ones, and the first NaN if any.
  case argReduce(axis: Int, largest: Bool)
  /// `take_along_axis(x, p)`: `out[…, j, …] = x[…, p[…, j, …], …]` along `axis`, for operands
  /// `x` and positions `p` of equal shape off the axis; the output has `p`'s shape (negative
  /// positions count from the end; NaN outside the axis). Linear in `x`.
  case takeAlongAxis(axis: Int)
  /// The transpose of ``takeAlongAxis(axis:)``: operands `v` and positions `p` of one shape,
  /// `out[…, p[…, j, …], …] += v[…, j, …]` into zeros whose `axis` has `size` elements.
  case scatterAddAlongAxis(axis: Int, size: Int)

  // MARK: Linear algebra, batched over leading axes
  /// A contraction: axes of the two operands paired as batch axes or summed over in pairs
  /// (XLA's `dot_general`; ``DotDimensions``). Matrix products of every rank are this.
  case dotGeneral(DotDimensions)
  /// `[…, n, n] → […, n, n]`.
  case inverse
  /// `[…, n, n] → […]`.
  case determinant
  /// `A x = B` for `[…, n, n]` and `[…, n, k]`.
  case solve
  /// `adj A = det(A) A⁻¹`, also where `A` is singular: `[…, n, n] → […, n, n]`.
  case adjugate
  /// The lower Cholesky factor `L` of `(A + Aᵀ)/2 = L Lᵀ`: `[…, n, n] → […, n, n]`.
  case cholesky
  /// One result of the symmetric eigendecomposition `(A + Aᵀ)/2 = V diag(w) Vᵀ`.
  case eigh(EighOutput)
  /// One result of the reduced QR decomposition `A = Q R` of `[…, m, n]`.
  case qr(QROutput)
  /// One result of the reduced singular value decomposition `A = U diag(S) Vh` of `[…, m, n]`.
  case svd(SVDOutput)
  /// The Moore–Penrose pseudo-inverse `[…, m, n] → […, n, m]`.
  case pseudoInverse

  /// The results of ``Primitive/eigh(_:)``: each is its own primitive, and the rules of one
  /// emit the others on the same operand, which hash-consing shares.
  public enum EighOutput: String, Sendable, Hashable, CaseIterable {
    /// `w`, `[…, n]`, ascending.
    case values
    /// `V`, `[…, n, n]`, the eigenvectors as columns.
    case vectors
  }

  /// The results of ``Primitive/qr(_:)``, with `k = min(m, n)`.
  public enum QROutput: String, Sendable, Hashable, CaseIterable {
    /// `Q`, `[…, m, k]`, orthonormal columns.
    case q
    /// `R`, `[…, k, n]`, upper triangular.
    case r
  }

  /// The results of ``Primitive/svd(_:)``, with `k = min(m, n)`.
  public enum SVDOutput: String, Sendable, Hashable, CaseIterable {
    /// `U`, `[…, m, k]`, orthonormal columns.
    case u
    /// `S`, `[…, k]`, descending and non-negative.
    case s
    /// `Vh`, `[…, k, n]`, orthonormal rows.
    case vh
  }

  // MARK: Custom derivatives (the graphs of a user's function and its rules)
  /// Output `output` of a function with a user's JVP rule (`custom_jvp`): evaluates as the
  /// function; its JVP is the rule (``CustomJVPCall``).
  case customJVP(CustomJVPCall, output: Int)
  /// Output `output` of a function with a user's VJP rule (`custom_vjp`): evaluates as the
  /// function; reverse mode uses `fwd` and `bwd` (``CustomVJPCall``), forward mode is an error.
  case customVJP(CustomVJPCall, output: Int)
  /// The tangent of output `output` of a `custom_vjp` function: linear in the argument
  /// tangents given the residuals, the map whose transpose is `bwd` (JAX's `custom_lin`).
  case customVJPTangent(CustomVJPCall, output: Int)

  /// The comparisons of ``Primitive/compare(_:)``.
  public enum Comparison: String, Sendable, Hashable, CaseIterable {
    case eq, ne, lt, le, gt, ge
  }

  /// A payload-free mirror of ``Primitive``, for tables and coverage tests; the raw value is
  /// the name the graph printer shows.
  public enum Kind: String, Sendable, CaseIterable {
    case neg, exp, log, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh
    case expm1, log1p, sqrt, rsqrt, cbrt, abs, sign, floor, ceil, round, erf, logistic
    case erfc, erfinv, lgamma, polygamma, softplus
    case stopGradient = "stop_gradient"
    case add, sub, mul, div, pow, atan2, max, min, compare, select
    case convert, broadcast, reshape, transpose, slice, pad, reverse, concatenate, gather
    case scatterAdd = "scatter_add"
    case reduceSum = "reduce_sum"
    case reduceMax = "reduce_max"
    case reduceMin = "reduce_min"
    case reduceProd = "reduce_prod"
    case argsort
    case argReduce = "arg_reduce"
    case takeAlongAxis = "take_along_axis"
    case scatterAddAlongAxis = "scatter_add_along_axis"
    case dotGeneral = "dot_general"
    case inverse, determinant, solve, adjugate, cholesky, eigh, qr, svd
    case pseudoInverse = "pinv"
    case customJVP = "custom_jvp_call"
    case customVJP = "custom_vjp_call"
    case customVJPTangent = "custom_lin"
  }

  public var kind: Kind {
    switch self {
    case .neg: .neg
    case .exp: .exp
    case .log: .log
    case .sin: .sin
    case .cos: .cos
    case .tan: .tan
    case .asin: .asin
    case .acos: .acos
    case .atan: .atan
    case .sinh: .sinh
    case .cosh: .cosh
    case .tanh: .tanh
    case .asinh: .asinh
    case .acosh: .acosh
    case .atanh: .atanh
    case .expm1: .expm1
    case .log1p: .log1p
    case .sqrt: .sqrt
    case .rsqrt: .rsqrt
    case .cbrt: .cbrt
    case .abs: .abs
    case .sign: .sign
    case .floor: .floor
    case .ceil: .ceil
    case .round: .round
    case .erf: .erf
    case .logistic: .logistic
    case .softplus: .softplus
    case .erfc: .erfc
    case .erfinv: .erfinv
    case .lgamma: .lgamma
    case .polygamma: .polygamma
    case .stopGradient: .stopGradient
    case .add: .add
    case .sub: .sub
    case .mul: .mul
    case .div: .div
    case .pow: .pow
    case .atan2: .atan2
    case .max: .max
    case .min: .min
    case .compare: .compare
    case .select: .select
    case .convert: .convert
    case .broadcast: .broadcast
    case .reshape: .reshape
    case .transpose: .transpose
    case .slice: .slice
    case .pad: .pad
    case .reverse: .reverse
    case .concatenate: .concatenate
    case .gather: .gather
    case .scatterAdd: .scatterAdd
    case .reduceSum: .reduceSum
    case .reduceMax: .reduceMax
    case .reduceMin: .reduceMin
    case .reduceProd: .reduceProd
    case .argsort: .argsort
    case .argReduce: .argReduce
    case .takeAlongAxis: .takeAlongAxis
    case .scatterAddAlongAxis: .scatterAddAlongAxis
    case .dotGeneral: .dotGeneral
    case .inverse: .inverse
    case .determinant: .determinant
    case .solve: .solve
    case .adjugate: .adjugate
    case .cholesky: .cholesky
    case .eigh: .eigh
    case .qr: .qr
    case .svd: .svd
    case .pseudoInverse: .pseudoInverse
    case .customJVP: .customJVP
    case .customVJP: .customVJP
    case .customVJPTangent: .customVJPTangent
    }
  }
}
