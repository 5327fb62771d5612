extension Primitive {
  /// The one place that maps the vocabulary to behaviour. Never add `default:`.
  public var rule: any PrimitiveRule {
    switch self {
    case .neg: Neg()
    case .exp: Exp()
    case .log: Log()
    case .sin: Sin()
    case .cos: Cos()
    case .tan: Tan()
    case .asin: Asin()
    case .acos: Acos()
    case .atan: Atan()
    case .sinh: Sinh()
    case .cosh: Cosh()
    case .tanh: Tanh()
    case .asinh: Asinh()
    case .acosh: Acosh()
    case .atanh: Atanh()
    case .expm1: Expm1()
    case .log1p: Log1p()
    case .sqrt: Sqrt()
    case .rsqrt: Rsqrt()
    case .cbrt: Cbrt()
    case .abs: Abs()
    case .sign: Sign()
    case .floor: Floor()
    case .ceil: Ceil()
    case .round: Round()
    case .erf: Erf()
    case .logistic: Logistic()
    case .stopGradient: StopGradient()
    case .add: Add()
    case .sub: Sub()
    case .mul: Mul()
    case .div: Div()
    case .pow: Pow()
    case .atan2: Atan2()
    case .max: Maximum()
    case .min: Minimum()
    case .compare(let c): Compare(comparison: c)
    case .select: Select()
    case .convert(let d): Convert(dtype: d)
    case .broadcast(let shape, let dims): Broadcast(shape: shape, dims: dims)
    case .reshape(let shape): Reshape(shape: shape)
    case .transpose(let p): Transpose(permutation: p)
    case .slice(let s, let l, let st): Slice(start: s, limit: l, stride: st)
    case .pad(let lo, let hi, let inner): Pad(low: lo, high: hi, interior: inner)
    case .reverse(let axes): Reverse(axes: axes)
    case .concatenate(let axis): Concatenate(axis: axis)
    case .gather(let table, let shape): Gather(table: table, shape: shape)
    case .scatterAdd(let table, let shape): ScatterAdd(table: table, shape: shape)
    case .reduceSum(let axes): ReduceSum(axes: axes)
    case .reduceMax(let axes): ReduceMax(axes: axes)
    case .reduceMin(let axes): ReduceMin(axes: axes)
    case .reduceProd(let axes): ReduceProd(axes: axes)
    case .dotGeneral(let d): DotGeneral(dimensions: d)
    case .inverse: Inverse()
    case .determinant: Determinant()
    case .solve: Solve()
    case .customJVP(let call, let k): CustomJVPRule(call: call, output: k)
    case .customVJP(let call, let k): CustomVJPRule(call: call, output: k)
    case .customVJPTangent(let call, let k): CustomVJPTangentRule(call: call, output: k)
    }
  }
}

extension Primitive {
  /// Whether the primitive maps operands of one shape to an output of that shape element by
  /// element (its rule says).
  public var isElementwise: Bool { rule.isElementwise }

  /// The static parameters, as the graph printer shows them: `[axes=(1,)]`.
  public var parameterText: String { rule.parameterText }
}
